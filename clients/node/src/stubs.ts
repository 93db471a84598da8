/**
 * The generated stubs, loaded at run time by @grpc/proto-loader from the .proto files that
 * `clients/node/generate` copies into the package (typed by the proto-loader-gen-types output in
 * ./generated). LOADER_OPTIONS must match the flags `generate` passes to proto-loader-gen-types.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import type { ProtoGrpcType as ProducerProto } from "./generated/producer";
import type { ProtoGrpcType as OperationsProto } from "./generated/operations";

export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: false,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
};

/** The directory holding sergeant/v1/*.proto: the package's proto/ (beside dist/, or above a test build). */
export const PROTO_DIR = findProtoDir(__dirname);

function findProtoDir(start: string): string {
  let dir = start;
  for (let i = 0; i < 4; i++) {
    dir = path.dirname(dir);
    const candidate = path.join(dir, "proto");
    if (fs.existsSync(path.join(candidate, "sergeant", "v1", "producer.proto"))) return candidate;
  }
  throw new Error(`@sergeant-queue/client: proto/sergeant/v1/producer.proto not found above ${start}`);
}

let producerCache: ProducerProto | undefined;
let operationsCache: OperationsProto | undefined;

function load<T>(file: string): T {
  const definition = protoLoader.loadSync(file, { ...LOADER_OPTIONS, includeDirs: [PROTO_DIR] });
  return grpc.loadPackageDefinition(definition) as unknown as T;
}

/** sergeant.v1 of producer.proto: the Producer service constructor and its message/enum types. */
export function producerProto(): ProducerProto {
  return (producerCache ??= load<ProducerProto>("sergeant/v1/producer.proto"));
}

/** sergeant.v1 of operations.proto (not wrapped; for operators who want the raw stub). */
export function operationsProto(): OperationsProto {
  return (operationsCache ??= load<OperationsProto>("sergeant/v1/operations.proto"));
}
