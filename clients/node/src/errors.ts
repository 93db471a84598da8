import { Metadata, status } from "@grpc/grpc-js";
import type { ServiceError } from "@grpc/grpc-js";

export { EncodingError } from "./codec";

/** The gRPC status codes by name, e.g. `Status.UNAVAILABLE === 14` (the same enum as grpc-js's `status`). */
export { status as Status };

/** The name of a gRPC status code: `statusName(14) === "UNAVAILABLE"`. */
export function statusName(code: number): string {
  return (status as unknown as Record<number, string>)[code] ?? `CODE_${code}`;
}

/**
 * A call to the gateway failed. `code` is the gRPC status code (compare with `Status.X`),
 * `codeName` its name, and `details` the gateway's message.
 */
export class SergeantError extends Error {
  override name = "SergeantError";
  readonly code: status;
  readonly codeName: string;
  readonly details: string;
  readonly metadata?: Metadata;

  constructor(code: status, details: string, metadata?: Metadata) {
    super(`${statusName(code)}: ${details}`);
    this.code = code;
    this.codeName = statusName(code);
    this.details = details;
    this.metadata = metadata;
  }
}

/** The task ended DEAD or CANCELLED; `errorType` and `errorMessage` come from the worker. */
export class TaskFailedError extends Error {
  override name = "TaskFailedError";
  readonly queue: string;
  readonly taskId: string;
  /** "dead" or "cancelled". */
  readonly state: string;
  /** The worker's error type, e.g. "ValueError", "WorkerTimedout", "LeaseExpired" (may be empty when cancelled). */
  readonly errorType: string;
  readonly errorMessage: string;
  readonly traceback: string;

  constructor(queue: string, taskId: string, state: string, errorType: string, errorMessage: string, traceback: string) {
    const what = errorType || errorMessage ? `: ${errorType}${errorType && errorMessage ? ": " : ""}${errorMessage}` : "";
    super(`task ${taskId} (queue ${queue}) ${state}${what}`);
    this.queue = queue;
    this.taskId = taskId;
    this.state = state;
    this.errorType = errorType;
    this.errorMessage = errorMessage;
    this.traceback = traceback;
  }
}

function isServiceError(err: unknown): err is ServiceError {
  return err instanceof Error && typeof (err as Partial<ServiceError>).code === "number"
    && "details" in err;
}

/** A SergeantError for what grpc-js threw (anything else is returned unchanged). */
export function toSergeantError(err: unknown): unknown {
  if (err instanceof SergeantError || !isServiceError(err)) return err;
  return new SergeantError(err.code, err.details ?? err.message, err.metadata);
}
