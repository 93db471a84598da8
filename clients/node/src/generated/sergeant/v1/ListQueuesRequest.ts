// Original file: proto/sergeant/v1/operations.proto


export interface ListQueuesRequest {
}

export interface ListQueuesRequest__Output {
}
