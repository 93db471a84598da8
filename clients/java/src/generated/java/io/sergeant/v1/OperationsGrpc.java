package io.sergeant.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 */
@io.grpc.stub.annotations.GrpcGenerated
public final class OperationsGrpc {

  private OperationsGrpc() {}

  public static final java.lang.String SERVICE_NAME = "sergeant.v1.Operations";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<io.sergeant.v1.GetVersionRequest,
      io.sergeant.v1.GetVersionResponse> getGetVersionMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetVersion",
      requestType = io.sergeant.v1.GetVersionRequest.class,
      responseType = io.sergeant.v1.GetVersionResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<io.sergeant.v1.GetVersionRequest,
      io.sergeant.v1.GetVersionResponse> getGetVersionMethod() {
    io.grpc.MethodDescriptor<io.sergeant.v1.GetVersionRequest, io.sergeant.v1.GetVersionResponse> getGetVersionMethod;
    if ((getGetVersionMethod = OperationsGrpc.getGetVersionMethod) == null) {
      synchronized (OperationsGrpc.class) {
        if ((getGetVersionMethod = OperationsGrpc.getGetVersionMethod) == null) {
          OperationsGrpc.getGetVersionMethod = getGetVersionMethod =
              io.grpc.MethodDescriptor.<io.sergeant.v1.GetVersionRequest, io.sergeant.v1.GetVersionResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetVersion"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.sergeant.v1.GetVersionRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.sergeant.v1.GetVersionResponse.getDefaultInstance()))
              .setSchemaDescriptor(new OperationsMethodDescriptorSupplier("GetVersion"))
              .build();
        }
      }
    }
    return getGetVersionMethod;
  }

  private static volatile io.grpc.MethodDescriptor<io.sergeant.v1.ListQueuesRequest,
      io.sergeant.v1.ListQueuesResponse> getListQueuesMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListQueues",
      requestType = io.sergeant.v1.ListQueuesRequest.class,
      responseType = io.sergeant.v1.ListQueuesResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<io.sergeant.v1.ListQueuesRequest,
      io.sergeant.v1.ListQueuesResponse> getListQueuesMethod() {
    io.grpc.MethodDescriptor<io.sergeant.v1.ListQueuesRequest, io.sergeant.v1.ListQueuesResponse> getListQueuesMethod;
    if ((getListQueuesMethod = OperationsGrpc.getListQueuesMethod) == null) {
      synchronized (OperationsGrpc.class) {
        if ((getListQueuesMethod = OperationsGrpc.getListQueuesMethod) == null) {
          OperationsGrpc.getListQueuesMethod = getListQueuesMethod =
              io.grpc.MethodDescriptor.<io.sergeant.v1.ListQueuesRequest, io.sergeant.v1.ListQueuesResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListQueues"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.sergeant.v1.ListQueuesRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.sergeant.v1.ListQueuesResponse.getDefaultInstance()))
              .setSchemaDescriptor(new OperationsMethodDescriptorSupplier("ListQueues"))
              .build();
        }
      }
    }
    return getListQueuesMethod;
  }

  private static volatile io.grpc.MethodDescriptor<io.sergeant.v1.PurgeQueueRequest,
      io.sergeant.v1.PurgeQueueResponse> getPurgeQueueMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "PurgeQueue",
      requestType = io.sergeant.v1.PurgeQueueRequest.class,
      responseType = io.sergeant.v1.PurgeQueueResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<io.sergeant.v1.PurgeQueueRequest,
      io.sergeant.v1.PurgeQueueResponse> getPurgeQueueMethod() {
    io.grpc.MethodDescriptor<io.sergeant.v1.PurgeQueueRequest, io.sergeant.v1.PurgeQueueResponse> getPurgeQueueMethod;
    if ((getPurgeQueueMethod = OperationsGrpc.getPurgeQueueMethod) == null) {
      synchronized (OperationsGrpc.class) {
        if ((getPurgeQueueMethod = OperationsGrpc.getPurgeQueueMethod) == null) {
          OperationsGrpc.getPurgeQueueMethod = getPurgeQueueMethod =
              io.grpc.MethodDescriptor.<io.sergeant.v1.PurgeQueueRequest, io.sergeant.v1.PurgeQueueResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "PurgeQueue"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.sergeant.v1.PurgeQueueRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.sergeant.v1.PurgeQueueResponse.getDefaultInstance()))
              .setSchemaDescriptor(new OperationsMethodDescriptorSupplier("PurgeQueue"))
              .build();
        }
      }
    }
    return getPurgeQueueMethod;
  }

  private static volatile io.grpc.MethodDescriptor<io.sergeant.v1.PauseQueueRequest,
      io.sergeant.v1.PauseQueueResponse> getPauseQueueMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "PauseQueue",
      requestType = io.sergeant.v1.PauseQueueRequest.class,
      responseType = io.sergeant.v1.PauseQueueResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<io.sergeant.v1.PauseQueueRequest,
      io.sergeant.v1.PauseQueueResponse> getPauseQueueMethod() {
    io.grpc.MethodDescriptor<io.sergeant.v1.PauseQueueRequest, io.sergeant.v1.PauseQueueResponse> getPauseQueueMethod;
    if ((getPauseQueueMethod = OperationsGrpc.getPauseQueueMethod) == null) {
      synchronized (OperationsGrpc.class) {
        if ((getPauseQueueMethod = OperationsGrpc.getPauseQueueMethod) == null) {
          OperationsGrpc.getPauseQueueMethod = getPauseQueueMethod =
              io.grpc.MethodDescriptor.<io.sergeant.v1.PauseQueueRequest, io.sergeant.v1.PauseQueueResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "PauseQueue"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.sergeant.v1.PauseQueueRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.sergeant.v1.PauseQueueResponse.getDefaultInstance()))
              .setSchemaDescriptor(new OperationsMethodDescriptorSupplier("PauseQueue"))
              .build();
        }
      }
    }
    return getPauseQueueMethod;
  }

  private static volatile io.grpc.MethodDescriptor<io.sergeant.v1.ResumeQueueRequest,
      io.sergeant.v1.ResumeQueueResponse> getResumeQueueMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ResumeQueue",
      requestType = io.sergeant.v1.ResumeQueueRequest.class,
      responseType = io.sergeant.v1.ResumeQueueResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<io.sergeant.v1.ResumeQueueRequest,
      io.sergeant.v1.ResumeQueueResponse> getResumeQueueMethod() {
    io.grpc.MethodDescriptor<io.sergeant.v1.ResumeQueueRequest, io.sergeant.v1.ResumeQueueResponse> getResumeQueueMethod;
    if ((getResumeQueueMethod = OperationsGrpc.getResumeQueueMethod) == null) {
      synchronized (OperationsGrpc.class) {
        if ((getResumeQueueMethod = OperationsGrpc.getResumeQueueMethod) == null) {
          OperationsGrpc.getResumeQueueMethod = getResumeQueueMethod =
              io.grpc.MethodDescriptor.<io.sergeant.v1.ResumeQueueRequest, io.sergeant.v1.ResumeQueueResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ResumeQueue"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.sergeant.v1.ResumeQueueRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.sergeant.v1.ResumeQueueResponse.getDefaultInstance()))
              .setSchemaDescriptor(new OperationsMethodDescriptorSupplier("ResumeQueue"))
              .build();
        }
      }
    }
    return getResumeQueueMethod;
  }

  private static volatile io.grpc.MethodDescriptor<io.sergeant.v1.ListWorkersRequest,
      io.sergeant.v1.ListWorkersResponse> getListWorkersMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListWorkers",
      requestType = io.sergeant.v1.ListWorkersRequest.class,
      responseType = io.sergeant.v1.ListWorkersResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<io.sergeant.v1.ListWorkersRequest,
      io.sergeant.v1.ListWorkersResponse> getListWorkersMethod() {
    io.grpc.MethodDescriptor<io.sergeant.v1.ListWorkersRequest, io.sergeant.v1.ListWorkersResponse> getListWorkersMethod;
    if ((getListWorkersMethod = OperationsGrpc.getListWorkersMethod) == null) {
      synchronized (OperationsGrpc.class) {
        if ((getListWorkersMethod = OperationsGrpc.getListWorkersMethod) == null) {
          OperationsGrpc.getListWorkersMethod = getListWorkersMethod =
              io.grpc.MethodDescriptor.<io.sergeant.v1.ListWorkersRequest, io.sergeant.v1.ListWorkersResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListWorkers"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.sergeant.v1.ListWorkersRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.sergeant.v1.ListWorkersResponse.getDefaultInstance()))
              .setSchemaDescriptor(new OperationsMethodDescriptorSupplier("ListWorkers"))
              .build();
        }
      }
    }
    return getListWorkersMethod;
  }

  private static volatile io.grpc.MethodDescriptor<io.sergeant.v1.ListDeadLettersRequest,
      io.sergeant.v1.ListDeadLettersResponse> getListDeadLettersMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListDeadLetters",
      requestType = io.sergeant.v1.ListDeadLettersRequest.class,
      responseType = io.sergeant.v1.ListDeadLettersResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<io.sergeant.v1.ListDeadLettersRequest,
      io.sergeant.v1.ListDeadLettersResponse> getListDeadLettersMethod() {
    io.grpc.MethodDescriptor<io.sergeant.v1.ListDeadLettersRequest, io.sergeant.v1.ListDeadLettersResponse> getListDeadLettersMethod;
    if ((getListDeadLettersMethod = OperationsGrpc.getListDeadLettersMethod) == null) {
      synchronized (OperationsGrpc.class) {
        if ((getListDeadLettersMethod = OperationsGrpc.getListDeadLettersMethod) == null) {
          OperationsGrpc.getListDeadLettersMethod = getListDeadLettersMethod =
              io.grpc.MethodDescriptor.<io.sergeant.v1.ListDeadLettersRequest, io.sergeant.v1.ListDeadLettersResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListDeadLetters"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.sergeant.v1.ListDeadLettersRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.sergeant.v1.ListDeadLettersResponse.getDefaultInstance()))
              .setSchemaDescriptor(new OperationsMethodDescriptorSupplier("ListDeadLetters"))
              .build();
        }
      }
    }
    return getListDeadLettersMethod;
  }

  private static volatile io.grpc.MethodDescriptor<io.sergeant.v1.ReplayDeadLettersRequest,
      io.sergeant.v1.ReplayDeadLettersResponse> getReplayDeadLettersMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ReplayDeadLetters",
      requestType = io.sergeant.v1.ReplayDeadLettersRequest.class,
      responseType = io.sergeant.v1.ReplayDeadLettersResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<io.sergeant.v1.ReplayDeadLettersRequest,
      io.sergeant.v1.ReplayDeadLettersResponse> getReplayDeadLettersMethod() {
    io.grpc.MethodDescriptor<io.sergeant.v1.ReplayDeadLettersRequest, io.sergeant.v1.ReplayDeadLettersResponse> getReplayDeadLettersMethod;
    if ((getReplayDeadLettersMethod = OperationsGrpc.getReplayDeadLettersMethod) == null) {
      synchronized (OperationsGrpc.class) {
        if ((getReplayDeadLettersMethod = OperationsGrpc.getReplayDeadLettersMethod) == null) {
          OperationsGrpc.getReplayDeadLettersMethod = getReplayDeadLettersMethod =
              io.grpc.MethodDescriptor.<io.sergeant.v1.ReplayDeadLettersRequest, io.sergeant.v1.ReplayDeadLettersResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ReplayDeadLetters"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.sergeant.v1.ReplayDeadLettersRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.sergeant.v1.ReplayDeadLettersResponse.getDefaultInstance()))
              .setSchemaDescriptor(new OperationsMethodDescriptorSupplier("ReplayDeadLetters"))
              .build();
        }
      }
    }
    return getReplayDeadLettersMethod;
  }

  private static volatile io.grpc.MethodDescriptor<io.sergeant.v1.PurgeDeadLettersRequest,
      io.sergeant.v1.PurgeDeadLettersResponse> getPurgeDeadLettersMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "PurgeDeadLetters",
      requestType = io.sergeant.v1.PurgeDeadLettersRequest.class,
      responseType = io.sergeant.v1.PurgeDeadLettersResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<io.sergeant.v1.PurgeDeadLettersRequest,
      io.sergeant.v1.PurgeDeadLettersResponse> getPurgeDeadLettersMethod() {
    io.grpc.MethodDescriptor<io.sergeant.v1.PurgeDeadLettersRequest, io.sergeant.v1.PurgeDeadLettersResponse> getPurgeDeadLettersMethod;
    if ((getPurgeDeadLettersMethod = OperationsGrpc.getPurgeDeadLettersMethod) == null) {
      synchronized (OperationsGrpc.class) {
        if ((getPurgeDeadLettersMethod = OperationsGrpc.getPurgeDeadLettersMethod) == null) {
          OperationsGrpc.getPurgeDeadLettersMethod = getPurgeDeadLettersMethod =
              io.grpc.MethodDescriptor.<io.sergeant.v1.PurgeDeadLettersRequest, io.sergeant.v1.PurgeDeadLettersResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "PurgeDeadLetters"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.sergeant.v1.PurgeDeadLettersRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.sergeant.v1.PurgeDeadLettersResponse.getDefaultInstance()))
              .setSchemaDescriptor(new OperationsMethodDescriptorSupplier("PurgeDeadLetters"))
              .build();
        }
      }
    }
    return getPurgeDeadLettersMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static OperationsStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<OperationsStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<OperationsStub>() {
        @java.lang.Override
        public OperationsStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new OperationsStub(channel, callOptions);
        }
      };
    return OperationsStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports all types of calls on the service
   */
  public static OperationsBlockingV2Stub newBlockingV2Stub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<OperationsBlockingV2Stub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<OperationsBlockingV2Stub>() {
        @java.lang.Override
        public OperationsBlockingV2Stub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new OperationsBlockingV2Stub(channel, callOptions);
        }
      };
    return OperationsBlockingV2Stub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static OperationsBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<OperationsBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<OperationsBlockingStub>() {
        @java.lang.Override
        public OperationsBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new OperationsBlockingStub(channel, callOptions);
        }
      };
    return OperationsBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static OperationsFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<OperationsFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<OperationsFutureStub>() {
        @java.lang.Override
        public OperationsFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new OperationsFutureStub(channel, callOptions);
        }
      };
    return OperationsFutureStub.newStub(factory, channel);
  }

  /**
   */
  public interface AsyncService {

    /**
     */
    default void getVersion(io.sergeant.v1.GetVersionRequest request,
        io.grpc.stub.StreamObserver<io.sergeant.v1.GetVersionResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetVersionMethod(), responseObserver);
    }

    /**
     */
    default void listQueues(io.sergeant.v1.ListQueuesRequest request,
        io.grpc.stub.StreamObserver<io.sergeant.v1.ListQueuesResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListQueuesMethod(), responseObserver);
    }

    /**
     */
    default void purgeQueue(io.sergeant.v1.PurgeQueueRequest request,
        io.grpc.stub.StreamObserver<io.sergeant.v1.PurgeQueueResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getPurgeQueueMethod(), responseObserver);
    }

    /**
     */
    default void pauseQueue(io.sergeant.v1.PauseQueueRequest request,
        io.grpc.stub.StreamObserver<io.sergeant.v1.PauseQueueResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getPauseQueueMethod(), responseObserver);
    }

    /**
     */
    default void resumeQueue(io.sergeant.v1.ResumeQueueRequest request,
        io.grpc.stub.StreamObserver<io.sergeant.v1.ResumeQueueResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getResumeQueueMethod(), responseObserver);
    }

    /**
     */
    default void listWorkers(io.sergeant.v1.ListWorkersRequest request,
        io.grpc.stub.StreamObserver<io.sergeant.v1.ListWorkersResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListWorkersMethod(), responseObserver);
    }

    /**
     */
    default void listDeadLetters(io.sergeant.v1.ListDeadLettersRequest request,
        io.grpc.stub.StreamObserver<io.sergeant.v1.ListDeadLettersResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListDeadLettersMethod(), responseObserver);
    }

    /**
     */
    default void replayDeadLetters(io.sergeant.v1.ReplayDeadLettersRequest request,
        io.grpc.stub.StreamObserver<io.sergeant.v1.ReplayDeadLettersResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getReplayDeadLettersMethod(), responseObserver);
    }

    /**
     */
    default void purgeDeadLetters(io.sergeant.v1.PurgeDeadLettersRequest request,
        io.grpc.stub.StreamObserver<io.sergeant.v1.PurgeDeadLettersResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getPurgeDeadLettersMethod(), responseObserver);
    }
  }

  /**
   * Base class for the server implementation of the service Operations.
   */
  public static abstract class OperationsImplBase
      implements io.grpc.BindableService, AsyncService {

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return OperationsGrpc.bindService(this);
    }
  }

  /**
   * A stub to allow clients to do asynchronous rpc calls to service Operations.
   */
  public static final class OperationsStub
      extends io.grpc.stub.AbstractAsyncStub<OperationsStub> {
    private OperationsStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected OperationsStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new OperationsStub(channel, callOptions);
    }

    /**
     */
    public void getVersion(io.sergeant.v1.GetVersionRequest request,
        io.grpc.stub.StreamObserver<io.sergeant.v1.GetVersionResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetVersionMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     */
    public void listQueues(io.sergeant.v1.ListQueuesRequest request,
        io.grpc.stub.StreamObserver<io.sergeant.v1.ListQueuesResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListQueuesMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     */
    public void purgeQueue(io.sergeant.v1.PurgeQueueRequest request,
        io.grpc.stub.StreamObserver<io.sergeant.v1.PurgeQueueResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getPurgeQueueMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     */
    public void pauseQueue(io.sergeant.v1.PauseQueueRequest request,
        io.grpc.stub.StreamObserver<io.sergeant.v1.PauseQueueResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getPauseQueueMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     */
    public void resumeQueue(io.sergeant.v1.ResumeQueueRequest request,
        io.grpc.stub.StreamObserver<io.sergeant.v1.ResumeQueueResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getResumeQueueMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     */
    public void listWorkers(io.sergeant.v1.ListWorkersRequest request,
        io.grpc.stub.StreamObserver<io.sergeant.v1.ListWorkersResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListWorkersMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     */
    public void listDeadLetters(io.sergeant.v1.ListDeadLettersRequest request,
        io.grpc.stub.StreamObserver<io.sergeant.v1.ListDeadLettersResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListDeadLettersMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     */
    public void replayDeadLetters(io.sergeant.v1.ReplayDeadLettersRequest request,
        io.grpc.stub.StreamObserver<io.sergeant.v1.ReplayDeadLettersResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getReplayDeadLettersMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     */
    public void purgeDeadLetters(io.sergeant.v1.PurgeDeadLettersRequest request,
        io.grpc.stub.StreamObserver<io.sergeant.v1.PurgeDeadLettersResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getPurgeDeadLettersMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * A stub to allow clients to do synchronous rpc calls to service Operations.
   */
  public static final class OperationsBlockingV2Stub
      extends io.grpc.stub.AbstractBlockingStub<OperationsBlockingV2Stub> {
    private OperationsBlockingV2Stub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected OperationsBlockingV2Stub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new OperationsBlockingV2Stub(channel, callOptions);
    }

    /**
     */
    public io.sergeant.v1.GetVersionResponse getVersion(io.sergeant.v1.GetVersionRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getGetVersionMethod(), getCallOptions(), request);
    }

    /**
     */
    public io.sergeant.v1.ListQueuesResponse listQueues(io.sergeant.v1.ListQueuesRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getListQueuesMethod(), getCallOptions(), request);
    }

    /**
     */
    public io.sergeant.v1.PurgeQueueResponse purgeQueue(io.sergeant.v1.PurgeQueueRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getPurgeQueueMethod(), getCallOptions(), request);
    }

    /**
     */
    public io.sergeant.v1.PauseQueueResponse pauseQueue(io.sergeant.v1.PauseQueueRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getPauseQueueMethod(), getCallOptions(), request);
    }

    /**
     */
    public io.sergeant.v1.ResumeQueueResponse resumeQueue(io.sergeant.v1.ResumeQueueRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getResumeQueueMethod(), getCallOptions(), request);
    }

    /**
     */
    public io.sergeant.v1.ListWorkersResponse listWorkers(io.sergeant.v1.ListWorkersRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getListWorkersMethod(), getCallOptions(), request);
    }

    /**
     */
    public io.sergeant.v1.ListDeadLettersResponse listDeadLetters(io.sergeant.v1.ListDeadLettersRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getListDeadLettersMethod(), getCallOptions(), request);
    }

    /**
     */
    public io.sergeant.v1.ReplayDeadLettersResponse replayDeadLetters(io.sergeant.v1.ReplayDeadLettersRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getReplayDeadLettersMethod(), getCallOptions(), request);
    }

    /**
     */
    public io.sergeant.v1.PurgeDeadLettersResponse purgeDeadLetters(io.sergeant.v1.PurgeDeadLettersRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getPurgeDeadLettersMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do limited synchronous rpc calls to service Operations.
   */
  public static final class OperationsBlockingStub
      extends io.grpc.stub.AbstractBlockingStub<OperationsBlockingStub> {
    private OperationsBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected OperationsBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new OperationsBlockingStub(channel, callOptions);
    }

    /**
     */
    public io.sergeant.v1.GetVersionResponse getVersion(io.sergeant.v1.GetVersionRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetVersionMethod(), getCallOptions(), request);
    }

    /**
     */
    public io.sergeant.v1.ListQueuesResponse listQueues(io.sergeant.v1.ListQueuesRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListQueuesMethod(), getCallOptions(), request);
    }

    /**
     */
    public io.sergeant.v1.PurgeQueueResponse purgeQueue(io.sergeant.v1.PurgeQueueRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getPurgeQueueMethod(), getCallOptions(), request);
    }

    /**
     */
    public io.sergeant.v1.PauseQueueResponse pauseQueue(io.sergeant.v1.PauseQueueRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getPauseQueueMethod(), getCallOptions(), request);
    }

    /**
     */
    public io.sergeant.v1.ResumeQueueResponse resumeQueue(io.sergeant.v1.ResumeQueueRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getResumeQueueMethod(), getCallOptions(), request);
    }

    /**
     */
    public io.sergeant.v1.ListWorkersResponse listWorkers(io.sergeant.v1.ListWorkersRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListWorkersMethod(), getCallOptions(), request);
    }

    /**
     */
    public io.sergeant.v1.ListDeadLettersResponse listDeadLetters(io.sergeant.v1.ListDeadLettersRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListDeadLettersMethod(), getCallOptions(), request);
    }

    /**
     */
    public io.sergeant.v1.ReplayDeadLettersResponse replayDeadLetters(io.sergeant.v1.ReplayDeadLettersRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getReplayDeadLettersMethod(), getCallOptions(), request);
    }

    /**
     */
    public io.sergeant.v1.PurgeDeadLettersResponse purgeDeadLetters(io.sergeant.v1.PurgeDeadLettersRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getPurgeDeadLettersMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do ListenableFuture-style rpc calls to service Operations.
   */
  public static final class OperationsFutureStub
      extends io.grpc.stub.AbstractFutureStub<OperationsFutureStub> {
    private OperationsFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected OperationsFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new OperationsFutureStub(channel, callOptions);
    }

    /**
     */
    public com.google.common.util.concurrent.ListenableFuture<io.sergeant.v1.GetVersionResponse> getVersion(
        io.sergeant.v1.GetVersionRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetVersionMethod(), getCallOptions()), request);
    }

    /**
     */
    public com.google.common.util.concurrent.ListenableFuture<io.sergeant.v1.ListQueuesResponse> listQueues(
        io.sergeant.v1.ListQueuesRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListQueuesMethod(), getCallOptions()), request);
    }

    /**
     */
    public com.google.common.util.concurrent.ListenableFuture<io.sergeant.v1.PurgeQueueResponse> purgeQueue(
        io.sergeant.v1.PurgeQueueRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getPurgeQueueMethod(), getCallOptions()), request);
    }

    /**
     */
    public com.google.common.util.concurrent.ListenableFuture<io.sergeant.v1.PauseQueueResponse> pauseQueue(
        io.sergeant.v1.PauseQueueRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getPauseQueueMethod(), getCallOptions()), request);
    }

    /**
     */
    public com.google.common.util.concurrent.ListenableFuture<io.sergeant.v1.ResumeQueueResponse> resumeQueue(
        io.sergeant.v1.ResumeQueueRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getResumeQueueMethod(), getCallOptions()), request);
    }

    /**
     */
    public com.google.common.util.concurrent.ListenableFuture<io.sergeant.v1.ListWorkersResponse> listWorkers(
        io.sergeant.v1.ListWorkersRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListWorkersMethod(), getCallOptions()), request);
    }

    /**
     */
    public com.google.common.util.concurrent.ListenableFuture<io.sergeant.v1.ListDeadLettersResponse> listDeadLetters(
        io.sergeant.v1.ListDeadLettersRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListDeadLettersMethod(), getCallOptions()), request);
    }

    /**
     */
    public com.google.common.util.concurrent.ListenableFuture<io.sergeant.v1.ReplayDeadLettersResponse> replayDeadLetters(
        io.sergeant.v1.ReplayDeadLettersRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getReplayDeadLettersMethod(), getCallOptions()), request);
    }

    /**
     */
    public com.google.common.util.concurrent.ListenableFuture<io.sergeant.v1.PurgeDeadLettersResponse> purgeDeadLetters(
        io.sergeant.v1.PurgeDeadLettersRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getPurgeDeadLettersMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_GET_VERSION = 0;
  private static final int METHODID_LIST_QUEUES = 1;
  private static final int METHODID_PURGE_QUEUE = 2;
  private static final int METHODID_PAUSE_QUEUE = 3;
  private static final int METHODID_RESUME_QUEUE = 4;
  private static final int METHODID_LIST_WORKERS = 5;
  private static final int METHODID_LIST_DEAD_LETTERS = 6;
  private static final int METHODID_REPLAY_DEAD_LETTERS = 7;
  private static final int METHODID_PURGE_DEAD_LETTERS = 8;

  private static final class MethodHandlers<Req, Resp> implements
      io.grpc.stub.ServerCalls.UnaryMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ServerStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ClientStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.BidiStreamingMethod<Req, Resp> {
    private final AsyncService serviceImpl;
    private final int methodId;

    MethodHandlers(AsyncService serviceImpl, int methodId) {
      this.serviceImpl = serviceImpl;
      this.methodId = methodId;
    }

    @java.lang.Override
    @java.lang.SuppressWarnings("unchecked")
    public void invoke(Req request, io.grpc.stub.StreamObserver<Resp> responseObserver) {
      switch (methodId) {
        case METHODID_GET_VERSION:
          serviceImpl.getVersion((io.sergeant.v1.GetVersionRequest) request,
              (io.grpc.stub.StreamObserver<io.sergeant.v1.GetVersionResponse>) responseObserver);
          break;
        case METHODID_LIST_QUEUES:
          serviceImpl.listQueues((io.sergeant.v1.ListQueuesRequest) request,
              (io.grpc.stub.StreamObserver<io.sergeant.v1.ListQueuesResponse>) responseObserver);
          break;
        case METHODID_PURGE_QUEUE:
          serviceImpl.purgeQueue((io.sergeant.v1.PurgeQueueRequest) request,
              (io.grpc.stub.StreamObserver<io.sergeant.v1.PurgeQueueResponse>) responseObserver);
          break;
        case METHODID_PAUSE_QUEUE:
          serviceImpl.pauseQueue((io.sergeant.v1.PauseQueueRequest) request,
              (io.grpc.stub.StreamObserver<io.sergeant.v1.PauseQueueResponse>) responseObserver);
          break;
        case METHODID_RESUME_QUEUE:
          serviceImpl.resumeQueue((io.sergeant.v1.ResumeQueueRequest) request,
              (io.grpc.stub.StreamObserver<io.sergeant.v1.ResumeQueueResponse>) responseObserver);
          break;
        case METHODID_LIST_WORKERS:
          serviceImpl.listWorkers((io.sergeant.v1.ListWorkersRequest) request,
              (io.grpc.stub.StreamObserver<io.sergeant.v1.ListWorkersResponse>) responseObserver);
          break;
        case METHODID_LIST_DEAD_LETTERS:
          serviceImpl.listDeadLetters((io.sergeant.v1.ListDeadLettersRequest) request,
              (io.grpc.stub.StreamObserver<io.sergeant.v1.ListDeadLettersResponse>) responseObserver);
          break;
        case METHODID_REPLAY_DEAD_LETTERS:
          serviceImpl.replayDeadLetters((io.sergeant.v1.ReplayDeadLettersRequest) request,
              (io.grpc.stub.StreamObserver<io.sergeant.v1.ReplayDeadLettersResponse>) responseObserver);
          break;
        case METHODID_PURGE_DEAD_LETTERS:
          serviceImpl.purgeDeadLetters((io.sergeant.v1.PurgeDeadLettersRequest) request,
              (io.grpc.stub.StreamObserver<io.sergeant.v1.PurgeDeadLettersResponse>) responseObserver);
          break;
        default:
          throw new AssertionError();
      }
    }

    @java.lang.Override
    @java.lang.SuppressWarnings("unchecked")
    public io.grpc.stub.StreamObserver<Req> invoke(
        io.grpc.stub.StreamObserver<Resp> responseObserver) {
      switch (methodId) {
        default:
          throw new AssertionError();
      }
    }
  }

  public static final io.grpc.ServerServiceDefinition bindService(AsyncService service) {
    return io.grpc.ServerServiceDefinition.builder(getServiceDescriptor())
        .addMethod(
          getGetVersionMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              io.sergeant.v1.GetVersionRequest,
              io.sergeant.v1.GetVersionResponse>(
                service, METHODID_GET_VERSION)))
        .addMethod(
          getListQueuesMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              io.sergeant.v1.ListQueuesRequest,
              io.sergeant.v1.ListQueuesResponse>(
                service, METHODID_LIST_QUEUES)))
        .addMethod(
          getPurgeQueueMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              io.sergeant.v1.PurgeQueueRequest,
              io.sergeant.v1.PurgeQueueResponse>(
                service, METHODID_PURGE_QUEUE)))
        .addMethod(
          getPauseQueueMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              io.sergeant.v1.PauseQueueRequest,
              io.sergeant.v1.PauseQueueResponse>(
                service, METHODID_PAUSE_QUEUE)))
        .addMethod(
          getResumeQueueMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              io.sergeant.v1.ResumeQueueRequest,
              io.sergeant.v1.ResumeQueueResponse>(
                service, METHODID_RESUME_QUEUE)))
        .addMethod(
          getListWorkersMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              io.sergeant.v1.ListWorkersRequest,
              io.sergeant.v1.ListWorkersResponse>(
                service, METHODID_LIST_WORKERS)))
        .addMethod(
          getListDeadLettersMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              io.sergeant.v1.ListDeadLettersRequest,
              io.sergeant.v1.ListDeadLettersResponse>(
                service, METHODID_LIST_DEAD_LETTERS)))
        .addMethod(
          getReplayDeadLettersMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              io.sergeant.v1.ReplayDeadLettersRequest,
              io.sergeant.v1.ReplayDeadLettersResponse>(
                service, METHODID_REPLAY_DEAD_LETTERS)))
        .addMethod(
          getPurgeDeadLettersMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              io.sergeant.v1.PurgeDeadLettersRequest,
              io.sergeant.v1.PurgeDeadLettersResponse>(
                service, METHODID_PURGE_DEAD_LETTERS)))
        .build();
  }

  private static abstract class OperationsBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    OperationsBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return io.sergeant.v1.OperationsOuterClass.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("Operations");
    }
  }

  private static final class OperationsFileDescriptorSupplier
      extends OperationsBaseDescriptorSupplier {
    OperationsFileDescriptorSupplier() {}
  }

  private static final class OperationsMethodDescriptorSupplier
      extends OperationsBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final java.lang.String methodName;

    OperationsMethodDescriptorSupplier(java.lang.String methodName) {
      this.methodName = methodName;
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.MethodDescriptor getMethodDescriptor() {
      return getServiceDescriptor().findMethodByName(methodName);
    }
  }

  private static volatile io.grpc.ServiceDescriptor serviceDescriptor;

  public static io.grpc.ServiceDescriptor getServiceDescriptor() {
    io.grpc.ServiceDescriptor result = serviceDescriptor;
    if (result == null) {
      synchronized (OperationsGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new OperationsFileDescriptorSupplier())
              .addMethod(getGetVersionMethod())
              .addMethod(getListQueuesMethod())
              .addMethod(getPurgeQueueMethod())
              .addMethod(getPauseQueueMethod())
              .addMethod(getResumeQueueMethod())
              .addMethod(getListWorkersMethod())
              .addMethod(getListDeadLettersMethod())
              .addMethod(getReplayDeadLettersMethod())
              .addMethod(getPurgeDeadLettersMethod())
              .build();
        }
      }
    }
    return result;
  }
}
