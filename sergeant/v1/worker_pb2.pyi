from sergeant.v1 import task_pb2 as _task_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class OutcomeKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    OUTCOME_KIND_UNSPECIFIED: _ClassVar[OutcomeKind]
    OUTCOME_KIND_SUCCEEDED: _ClassVar[OutcomeKind]
    OUTCOME_KIND_FAILED: _ClassVar[OutcomeKind]
    OUTCOME_KIND_TIMED_OUT: _ClassVar[OutcomeKind]
    OUTCOME_KIND_RETRY: _ClassVar[OutcomeKind]
    OUTCOME_KIND_REQUEUE: _ClassVar[OutcomeKind]
    OUTCOME_KIND_DEAD: _ClassVar[OutcomeKind]
    OUTCOME_KIND_CANCELLED: _ClassVar[OutcomeKind]

class Disposition(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DISPOSITION_UNSPECIFIED: _ClassVar[Disposition]
    DISPOSITION_DONE: _ClassVar[Disposition]
    DISPOSITION_RETRYING: _ClassVar[Disposition]
    DISPOSITION_REQUEUED: _ClassVar[Disposition]
    DISPOSITION_DEAD: _ClassVar[Disposition]
    DISPOSITION_LEASE_LOST: _ClassVar[Disposition]
OUTCOME_KIND_UNSPECIFIED: OutcomeKind
OUTCOME_KIND_SUCCEEDED: OutcomeKind
OUTCOME_KIND_FAILED: OutcomeKind
OUTCOME_KIND_TIMED_OUT: OutcomeKind
OUTCOME_KIND_RETRY: OutcomeKind
OUTCOME_KIND_REQUEUE: OutcomeKind
OUTCOME_KIND_DEAD: OutcomeKind
OUTCOME_KIND_CANCELLED: OutcomeKind
DISPOSITION_UNSPECIFIED: Disposition
DISPOSITION_DONE: Disposition
DISPOSITION_RETRYING: Disposition
DISPOSITION_REQUEUED: Disposition
DISPOSITION_DEAD: Disposition
DISPOSITION_LEASE_LOST: Disposition

class WorkerMessage(_message.Message):
    __slots__ = ("hello", "heartbeat", "outcomes", "progress", "goodbye")
    HELLO_FIELD_NUMBER: _ClassVar[int]
    HEARTBEAT_FIELD_NUMBER: _ClassVar[int]
    OUTCOMES_FIELD_NUMBER: _ClassVar[int]
    PROGRESS_FIELD_NUMBER: _ClassVar[int]
    GOODBYE_FIELD_NUMBER: _ClassVar[int]
    hello: Hello
    heartbeat: Heartbeat
    outcomes: OutcomeBatch
    progress: ProgressBatch
    goodbye: Goodbye
    def __init__(self, hello: _Optional[_Union[Hello, _Mapping]] = ..., heartbeat: _Optional[_Union[Heartbeat, _Mapping]] = ..., outcomes: _Optional[_Union[OutcomeBatch, _Mapping]] = ..., progress: _Optional[_Union[ProgressBatch, _Mapping]] = ..., goodbye: _Optional[_Union[Goodbye, _Mapping]] = ...) -> None: ...

class Hello(_message.Message):
    __slots__ = ("worker_id", "queue", "pid", "host", "executor", "concurrency", "version", "store")
    WORKER_ID_FIELD_NUMBER: _ClassVar[int]
    QUEUE_FIELD_NUMBER: _ClassVar[int]
    PID_FIELD_NUMBER: _ClassVar[int]
    HOST_FIELD_NUMBER: _ClassVar[int]
    EXECUTOR_FIELD_NUMBER: _ClassVar[int]
    CONCURRENCY_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    STORE_FIELD_NUMBER: _ClassVar[int]
    worker_id: str
    queue: str
    pid: int
    host: str
    executor: str
    concurrency: int
    version: str
    store: StoreIdentity
    def __init__(self, worker_id: _Optional[str] = ..., queue: _Optional[str] = ..., pid: _Optional[int] = ..., host: _Optional[str] = ..., executor: _Optional[str] = ..., concurrency: _Optional[int] = ..., version: _Optional[str] = ..., store: _Optional[_Union[StoreIdentity, _Mapping]] = ...) -> None: ...

class StoreIdentity(_message.Message):
    __slots__ = ("kind", "location", "key_prefix")
    KIND_FIELD_NUMBER: _ClassVar[int]
    LOCATION_FIELD_NUMBER: _ClassVar[int]
    KEY_PREFIX_FIELD_NUMBER: _ClassVar[int]
    kind: str
    location: str
    key_prefix: str
    def __init__(self, kind: _Optional[str] = ..., location: _Optional[str] = ..., key_prefix: _Optional[str] = ...) -> None: ...

class Heartbeat(_message.Message):
    __slots__ = ("in_flight", "rss_bytes", "tasks_done", "current_tasks")
    IN_FLIGHT_FIELD_NUMBER: _ClassVar[int]
    RSS_BYTES_FIELD_NUMBER: _ClassVar[int]
    TASKS_DONE_FIELD_NUMBER: _ClassVar[int]
    CURRENT_TASKS_FIELD_NUMBER: _ClassVar[int]
    in_flight: int
    rss_bytes: int
    tasks_done: int
    current_tasks: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, in_flight: _Optional[int] = ..., rss_bytes: _Optional[int] = ..., tasks_done: _Optional[int] = ..., current_tasks: _Optional[_Iterable[str]] = ...) -> None: ...

class Outcome(_message.Message):
    __slots__ = ("task_id", "lease_id", "kind", "result", "error", "delay_s")
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    LEASE_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    DELAY_S_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    lease_id: str
    kind: OutcomeKind
    result: bytes
    error: _task_pb2.TaskError
    delay_s: float
    def __init__(self, task_id: _Optional[str] = ..., lease_id: _Optional[str] = ..., kind: _Optional[_Union[OutcomeKind, str]] = ..., result: _Optional[bytes] = ..., error: _Optional[_Union[_task_pb2.TaskError, _Mapping]] = ..., delay_s: _Optional[float] = ...) -> None: ...

class OutcomeBatch(_message.Message):
    __slots__ = ("sequence", "queue", "outcomes")
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    QUEUE_FIELD_NUMBER: _ClassVar[int]
    OUTCOMES_FIELD_NUMBER: _ClassVar[int]
    sequence: int
    queue: str
    outcomes: _containers.RepeatedCompositeFieldContainer[Outcome]
    def __init__(self, sequence: _Optional[int] = ..., queue: _Optional[str] = ..., outcomes: _Optional[_Iterable[_Union[Outcome, _Mapping]]] = ...) -> None: ...

class ProgressUpdate(_message.Message):
    __slots__ = ("task_id", "progress", "message", "data")
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    PROGRESS_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    progress: float
    message: str
    data: bytes
    def __init__(self, task_id: _Optional[str] = ..., progress: _Optional[float] = ..., message: _Optional[str] = ..., data: _Optional[bytes] = ...) -> None: ...

class ProgressBatch(_message.Message):
    __slots__ = ("queue", "updates")
    QUEUE_FIELD_NUMBER: _ClassVar[int]
    UPDATES_FIELD_NUMBER: _ClassVar[int]
    queue: str
    updates: _containers.RepeatedCompositeFieldContainer[ProgressUpdate]
    def __init__(self, queue: _Optional[str] = ..., updates: _Optional[_Iterable[_Union[ProgressUpdate, _Mapping]]] = ...) -> None: ...

class Goodbye(_message.Message):
    __slots__ = ("reason",)
    REASON_FIELD_NUMBER: _ClassVar[int]
    reason: str
    def __init__(self, reason: _Optional[str] = ...) -> None: ...

class GatewayMessage(_message.Message):
    __slots__ = ("welcome", "outcome_ack", "command")
    WELCOME_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_ACK_FIELD_NUMBER: _ClassVar[int]
    COMMAND_FIELD_NUMBER: _ClassVar[int]
    welcome: Welcome
    outcome_ack: OutcomeAck
    command: Command
    def __init__(self, welcome: _Optional[_Union[Welcome, _Mapping]] = ..., outcome_ack: _Optional[_Union[OutcomeAck, _Mapping]] = ..., command: _Optional[_Union[Command, _Mapping]] = ...) -> None: ...

class Welcome(_message.Message):
    __slots__ = ("session_id", "heartbeat_interval_s")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    HEARTBEAT_INTERVAL_S_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    heartbeat_interval_s: float
    def __init__(self, session_id: _Optional[str] = ..., heartbeat_interval_s: _Optional[float] = ...) -> None: ...

class OutcomeAck(_message.Message):
    __slots__ = ("sequence", "dispositions")
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    DISPOSITIONS_FIELD_NUMBER: _ClassVar[int]
    sequence: int
    dispositions: _containers.RepeatedScalarFieldContainer[Disposition]
    def __init__(self, sequence: _Optional[int] = ..., dispositions: _Optional[_Iterable[_Union[Disposition, str]]] = ...) -> None: ...

class Command(_message.Message):
    __slots__ = ("cancel", "drain", "stop")
    CANCEL_FIELD_NUMBER: _ClassVar[int]
    DRAIN_FIELD_NUMBER: _ClassVar[int]
    STOP_FIELD_NUMBER: _ClassVar[int]
    cancel: CancelTask
    drain: Drain
    stop: Stop
    def __init__(self, cancel: _Optional[_Union[CancelTask, _Mapping]] = ..., drain: _Optional[_Union[Drain, _Mapping]] = ..., stop: _Optional[_Union[Stop, _Mapping]] = ...) -> None: ...

class CancelTask(_message.Message):
    __slots__ = ("task_id",)
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    def __init__(self, task_id: _Optional[str] = ...) -> None: ...

class Drain(_message.Message):
    __slots__ = ("deadline_s",)
    DEADLINE_S_FIELD_NUMBER: _ClassVar[int]
    deadline_s: float
    def __init__(self, deadline_s: _Optional[float] = ...) -> None: ...

class Stop(_message.Message):
    __slots__ = ("reason",)
    REASON_FIELD_NUMBER: _ClassVar[int]
    reason: str
    def __init__(self, reason: _Optional[str] = ...) -> None: ...
