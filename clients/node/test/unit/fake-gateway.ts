/** An in-process Producer server for the unit tests: each handler is replaced per test. */
import * as grpc from "@grpc/grpc-js";
import { producerProto } from "../../src/stubs";
import type { ProducerHandlers } from "../../src/generated/sergeant/v1/Producer";

export type Handlers = Partial<ProducerHandlers>;

export interface FakeGateway {
  address: string;
  server: grpc.Server;
  handlers: Handlers;
  stop(): Promise<void>;
}

function unimplemented(name: string) {
  return (call: unknown, callback?: unknown): void => {
    const error = { code: grpc.status.UNIMPLEMENTED, details: `${name} is not scripted in this test` };
    if (typeof callback === "function") (callback as (e: unknown) => void)(error);
    else (call as grpc.ServerWritableStream<unknown, unknown>).emit("error", error);
  };
}

export async function startFakeGateway(credentials = grpc.ServerCredentials.createInsecure()): Promise<FakeGateway> {
  const server = new grpc.Server();
  const handlers: Handlers = {};
  const names = ["Push", "PushStream", "Submit", "Watch", "GetTask", "Cancel"] as const;
  const dispatch: Record<string, unknown> = {};
  for (const name of names) {
    dispatch[name] = (call: unknown, callback?: unknown) => {
      const handler = (handlers[name] ?? unimplemented(name)) as (c: unknown, cb?: unknown) => void;
      handler(call, callback);
    };
  }
  server.addService(producerProto().sergeant.v1.Producer.service, dispatch as unknown as grpc.UntypedServiceImplementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", credentials, (err, p) => (err ? reject(err) : resolve(p))));
  return {
    address: `127.0.0.1:${port}`,
    server,
    handlers,
    stop: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}

export function statusError(code: grpc.status, details: string): Partial<grpc.StatusObject> {
  return { code, details };
}
