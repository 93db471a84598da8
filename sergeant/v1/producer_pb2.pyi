from sergeant.v1 import task_pb2 as _task_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CancelOutcome(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CANCEL_OUTCOME_UNSPECIFIED: _ClassVar[CancelOutcome]
    CANCEL_OUTCOME_CANCELLED: _ClassVar[CancelOutcome]
    CANCEL_OUTCOME_RUNNING: _ClassVar[CancelOutcome]
    CANCEL_OUTCOME_FINISHED: _ClassVar[CancelOutcome]
CANCEL_OUTCOME_UNSPECIFIED: CancelOutcome
CANCEL_OUTCOME_CANCELLED: CancelOutcome
CANCEL_OUTCOME_RUNNING: CancelOutcome
CANCEL_OUTCOME_FINISHED: CancelOutcome

class PushRequest(_message.Message):
    __slots__ = ("tasks", "packed")
    TASKS_FIELD_NUMBER: _ClassVar[int]
    PACKED_FIELD_NUMBER: _ClassVar[int]
    tasks: _containers.RepeatedCompositeFieldContainer[_task_pb2.Task]
    packed: PackedTasks
    def __init__(self, tasks: _Optional[_Iterable[_Union[_task_pb2.Task, _Mapping]]] = ..., packed: _Optional[_Union[PackedTasks, _Mapping]] = ...) -> None: ...

class PackedTasks(_message.Message):
    __slots__ = ("version", "queue", "tasks", "want_results")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    QUEUE_FIELD_NUMBER: _ClassVar[int]
    TASKS_FIELD_NUMBER: _ClassVar[int]
    WANT_RESULTS_FIELD_NUMBER: _ClassVar[int]
    version: int
    queue: str
    tasks: bytes
    want_results: bool
    def __init__(self, version: _Optional[int] = ..., queue: _Optional[str] = ..., tasks: _Optional[bytes] = ..., want_results: _Optional[bool] = ...) -> None: ...

class PushedTask(_message.Message):
    __slots__ = ("id", "created")
    ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    id: str
    created: bool
    def __init__(self, id: _Optional[str] = ..., created: _Optional[bool] = ...) -> None: ...

class PushResponse(_message.Message):
    __slots__ = ("tasks", "count", "duplicates")
    TASKS_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    DUPLICATES_FIELD_NUMBER: _ClassVar[int]
    tasks: _containers.RepeatedCompositeFieldContainer[PushedTask]
    count: int
    duplicates: _containers.RepeatedCompositeFieldContainer[DuplicateTask]
    def __init__(self, tasks: _Optional[_Iterable[_Union[PushedTask, _Mapping]]] = ..., count: _Optional[int] = ..., duplicates: _Optional[_Iterable[_Union[DuplicateTask, _Mapping]]] = ...) -> None: ...

class DuplicateTask(_message.Message):
    __slots__ = ("index", "id")
    INDEX_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    index: int
    id: str
    def __init__(self, index: _Optional[int] = ..., id: _Optional[str] = ...) -> None: ...

class SubmitRequest(_message.Message):
    __slots__ = ("task", "progress")
    TASK_FIELD_NUMBER: _ClassVar[int]
    PROGRESS_FIELD_NUMBER: _ClassVar[int]
    task: _task_pb2.Task
    progress: bool
    def __init__(self, task: _Optional[_Union[_task_pb2.Task, _Mapping]] = ..., progress: _Optional[bool] = ...) -> None: ...

class WatchRequest(_message.Message):
    __slots__ = ("queue", "task_ids", "progress")
    QUEUE_FIELD_NUMBER: _ClassVar[int]
    TASK_IDS_FIELD_NUMBER: _ClassVar[int]
    PROGRESS_FIELD_NUMBER: _ClassVar[int]
    queue: str
    task_ids: _containers.RepeatedScalarFieldContainer[str]
    progress: bool
    def __init__(self, queue: _Optional[str] = ..., task_ids: _Optional[_Iterable[str]] = ..., progress: _Optional[bool] = ...) -> None: ...

class GetTaskRequest(_message.Message):
    __slots__ = ("queue", "task_id")
    QUEUE_FIELD_NUMBER: _ClassVar[int]
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    queue: str
    task_id: str
    def __init__(self, queue: _Optional[str] = ..., task_id: _Optional[str] = ...) -> None: ...

class GetTaskResponse(_message.Message):
    __slots__ = ("state", "task", "result")
    STATE_FIELD_NUMBER: _ClassVar[int]
    TASK_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    state: _task_pb2.TaskState
    task: _task_pb2.Task
    result: _task_pb2.TaskResult
    def __init__(self, state: _Optional[_Union[_task_pb2.TaskState, str]] = ..., task: _Optional[_Union[_task_pb2.Task, _Mapping]] = ..., result: _Optional[_Union[_task_pb2.TaskResult, _Mapping]] = ...) -> None: ...

class CancelRequest(_message.Message):
    __slots__ = ("queue", "task_id")
    QUEUE_FIELD_NUMBER: _ClassVar[int]
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    queue: str
    task_id: str
    def __init__(self, queue: _Optional[str] = ..., task_id: _Optional[str] = ...) -> None: ...

class CancelResponse(_message.Message):
    __slots__ = ("outcome",)
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    outcome: CancelOutcome
    def __init__(self, outcome: _Optional[_Union[CancelOutcome, str]] = ...) -> None: ...
