/**
 * @sergeant-queue/client: the Node.js producer client of a Sergeant gateway.
 *
 * ```ts
 * import { SergeantClient } from "@sergeant-queue/client";
 * const client = new SergeantClient("127.0.0.1:50051");
 * const id = await client.push("emails", { to: "a@example.com" });
 * const result = await client.submit("echo", { n: 1 }).result;
 * ```
 */
export { SergeantClient, Submission, metadataFor } from "./client";
export type { CallOptions, ClientOptions, PushOptions, SubmitOptions, TlsOptions, WatchOptions } from "./client";
export { SergeantError, TaskFailedError, EncodingError, Status, statusName } from "./errors";
export { encode, decode, encodeKwargs } from "./codec";
export { newTaskId } from "./requests";
export type {
  CancelOutcome, EventKind, Priority, StoredOptions, TaskErrorInfo, TaskEvent, TaskOptions, TaskState, TaskStatus,
} from "./requests";
export type { RetryOptions } from "./retry";
export { producerProto, operationsProto, PROTO_DIR, LOADER_OPTIONS } from "./stubs";
export type { ProducerClient } from "./generated/sergeant/v1/Producer";
export type { OperationsClient } from "./generated/sergeant/v1/Operations";
