package io.hookrail.ops.tracing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.opentelemetry.api.OpenTelemetry;
import io.hookrail.ops.InstanceIdentity;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.apache.camel.opentelemetry2.OpenTelemetryTracer;
import org.apache.camel.support.CamelContextHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Traces (ADR 14), off by default: with {@code hookrail.tracing.enabled} it installs Camel's OpenTelemetry tracer
 * ({@code camel-opentelemetry2}: a span per route and endpoint, W3C {@code traceparent} on JMS messages and HTTP
 * calls) on an OpenTelemetry SDK that samples {@code hookrail.tracing.samplingRatio} of the traces and exports them
 * over OTLP/HTTP to {@code hookrail.tracing.otlp.endpoint}, and binds {@link Tracing} for the gateway's own spans.
 * Off, nothing is installed and {@link Tracing#OFF} is bound: no span, no route policy, no header.
 * <p>
 * An {@link OpenTelemetry} already in the registry (an embedding application's, or a test's with an in-memory
 * exporter) is used instead of building one.
 */
@Configuration
public class TracingConfiguration implements CamelConfiguration {

    /** Background timers, and the step kamelet's own source and sink (the step's span covers them). */
    static final String EXCLUDED = "timer:*,master:*,kamelet://source*,kamelet://sink*";
    /** The instrumentation scope of Hookrail's own spans. */
    static final String INSTRUMENTATION = "io.hookrail";

    private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
    private static final AttributeKey<String> SERVICE_INSTANCE_ID = AttributeKey.stringKey("service.instance.id");
    private static final Logger LOG = LoggerFactory.getLogger(TracingConfiguration.class);

    @PropertyInject(value = "hookrail.tracing.enabled", defaultValue = "false")
    private boolean enabled;
    @PropertyInject(value = "hookrail.tracing.otlp.endpoint", defaultValue = "http://localhost:4318")
    private String otlpEndpoint;
    @PropertyInject(value = "hookrail.tracing.serviceName", defaultValue = "hookrail")
    private String serviceName;
    @PropertyInject(value = "hookrail.tracing.samplingRatio", defaultValue = "1.0")
    private double samplingRatio;
    @PropertyInject(value = "hookrail.tracing.excludePatterns", defaultValue = EXCLUDED)
    private String excludePatterns;

    /**
     * Eager, and so before any route is built: Camel's tracer adds its route policy and processor wrapper to routes
     * created after it.
     */
    @BindToRegistry(Tracing.BEAN)
    public Tracing tracing(CamelContext context) throws Exception {
        if (!enabled) {
            return Tracing.OFF;
        }
        if (samplingRatio < 0 || samplingRatio > 1) {
            throw new IllegalArgumentException("hookrail.tracing.samplingRatio must be between 0 and 1, not "
                    + samplingRatio);
        }
        OpenTelemetry openTelemetry = CamelContextHelper.findSingleByType(context, OpenTelemetry.class);
        if (openTelemetry == null) {
            InstanceIdentity instance = context.getRegistry().lookupByNameAndType(InstanceIdentity.BEAN,
                    InstanceIdentity.class);
            OpenTelemetrySdk sdk = sdk(instance == null ? null : instance.id());
            context.addService(new SdkShutdown(sdk)); // flushes the spans still batched when Hookrail stops
            openTelemetry = sdk;
            LOG.info("Tracing on: {} of the traces exported over OTLP to {} as service {} (instance {})",
                    samplingRatio, otlpEndpoint, serviceName, instance == null ? "unnamed" : instance.id());
        } else {
            LOG.info("Tracing on, with the OpenTelemetry in the registry");
        }
        // Camel's tracer takes the tracer and the propagators it finds in the registry
        context.getRegistry().bind("openTelemetryTracer", Tracer.class, openTelemetry.getTracer("camel"));
        context.getRegistry().bind("openTelemetryPropagators", ContextPropagators.class, openTelemetry.getPropagators());
        OpenTelemetryTracer tracer = new OpenTelemetryTracer();
        tracer.setExcludePatterns(excludePatterns);
        tracer.init(context);
        return Tracing.on(openTelemetry);
    }

    /** The SDK: W3C trace context, the ratio sampler, and OTLP/HTTP export of batches; spans name the instance. */
    private OpenTelemetrySdk sdk(String instanceId) {
        // a failed export is the exporter's warning (java.util.logging, on stderr), never the caller's failure: spans
        // are batched and exported on the SDK's own thread, and dropped when its queue is full
        OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
                .setEndpoint(otlpEndpoint.replaceAll("/+$", "") + "/v1/traces")
                .setTimeout(Duration.ofSeconds(10))
                .build();
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(instanceId == null
                        ? Attributes.of(SERVICE_NAME, serviceName)
                        : Attributes.of(SERVICE_NAME, serviceName, SERVICE_INSTANCE_ID, instanceId))))
                .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(samplingRatio)))
                .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
                .build();
        return OpenTelemetrySdk.builder()
                .setTracerProvider(provider)
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
    }

    /** Shuts the SDK down with Camel: its batch processor exports what it still holds. */
    private static final class SdkShutdown extends ServiceSupport {
        private final OpenTelemetrySdk sdk;

        SdkShutdown(OpenTelemetrySdk sdk) {
            this.sdk = sdk;
        }

        @Override
        protected void doStop() {
            sdk.shutdown().join(10, TimeUnit.SECONDS);
        }
    }
}
