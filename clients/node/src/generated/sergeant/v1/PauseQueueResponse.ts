// Original file: proto/sergeant/v1/operations.proto


export interface PauseQueueResponse {
}

export interface PauseQueueResponse__Output {
}
