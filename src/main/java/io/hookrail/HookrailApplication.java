package io.hookrail;

import java.util.List;

import io.hookrail.approval.ApprovalConfiguration;
import io.hookrail.approval.ApprovalConsoleRoutes;
import io.hookrail.approval.ApprovalRoutes;
import io.hookrail.audit.AuditConfiguration;
import io.hookrail.audit.AuditRoutes;
import io.hookrail.broker.BrokerConfiguration;
import io.hookrail.dlq.DlqConfiguration;
import io.hookrail.dlq.DlqRoutes;
import io.hookrail.flow.FlowConfiguration;
import io.hookrail.flow.FlowRolloutRoutes;
import io.hookrail.flow.FlowRoutes;
import io.hookrail.flow.RoutesDirectory;
import io.hookrail.ingest.IngestConfiguration;
import io.hookrail.ingest.WebhookIngestRoutes;
import io.hookrail.ops.AdminConfiguration;
import io.hookrail.ops.EnvironmentOverrides;
import io.hookrail.ops.HttpConfiguration;
import io.hookrail.ops.http.HttpListenerConfiguration;
import io.hookrail.ops.jolokia.JolokiaConfiguration;
import io.hookrail.ops.logging.LogFormat;
import io.hookrail.ops.metrics.MetricsConfiguration;
import io.hookrail.ops.metrics.MetricsRoutes;
import io.hookrail.ops.profile.ProfileConfiguration;
import io.hookrail.ops.timeline.TimelineConfiguration;
import io.hookrail.ops.timeline.TimelineRoutes;
import io.hookrail.ops.tracing.TracingConfiguration;
import io.hookrail.policy.PolicyConfiguration;
import io.hookrail.privacy.PrivacyConfiguration;
import io.hookrail.poll.PollingRoutes;
import io.hookrail.quality.QualityConfiguration;
import io.hookrail.quality.QuarantineRoutes;
import io.hookrail.anomaly.VolumeRoutes;
import io.hookrail.probe.ProbeRoutes;
import io.hookrail.privacy.RetentionRoutes;
import io.hookrail.reconcile.ReconciliationRoutes;
import io.hookrail.sandbox.SandboxRoutes;
import io.hookrail.store.StoreConfiguration;
import io.hookrail.validate.Catalogue;
import io.hookrail.validate.Validate;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts Hookrail: Camel Main with the configuration classes and Java routes listed in {@link #newMain()}, and the YAML
 * routes named in {@code application.properties}.
 * <p>
 * An exception no thread catches (a failed startup, among them) is logged, so it is masked and, with JSON logs, one
 * JSON line like every other, instead of the JVM printing it to stderr; the JVM then behaves as before (a failed
 * {@code main} exits with status 1).
 */
public final class HookrailApplication {

    private HookrailApplication() {
    }

    public static void main(String... args) throws Exception {
        if (args.length > 0 && Validate.COMMAND.equals(args[0])) {
            // checks the flows without starting Camel or any listener
            System.exit(Validate.run(List.of(args).subList(1, args.length), System.out, System.err));
        }
        if (args.length > 0 && Catalogue.COMMAND.equals(args[0])) {
            // docs/flows.md, from the same files
            System.exit(Catalogue.run(List.of(args).subList(1, args.length), System.out, System.err));
        }
        Logger log = LoggerFactory.getLogger(HookrailApplication.class);
        Thread.setDefaultUncaughtExceptionHandler((thread, failure) ->
                log.error("Uncaught exception in thread {}", thread.getName(), failure));
        LogFormat.warnIfUnknown();
        Main main = newMain();
        EnvironmentOverrides.from(System.getenv()).forEach(main::addOverrideProperty);
        main.run(args);
    }

    /**
     * A Camel Main with every configuration class and Java route builder of Hookrail, listed instead of found by
     * classpath scanning ({@code new Main(HookrailApplication.class)}): scanning walks the whole fat jar, several times,
     * and Camel 4.17 post-processes each configuration class it finds twice (once when its injector creates it, once
     * more in {@code loadConfigurations}), so every eager {@code @BindToRegistry} method ran twice: two store pools,
     * two schema migrations, two policy loads (ADR 2). Instances created here are post-processed once.
     * {@code HookrailModulesTest} checks that nothing in the package is left out. The order is the one scanning used.
     */
    public static Main newMain() {
        Main main = new Main();
        List<CamelConfiguration> configurations = List.of(new FlowConfiguration(), new HttpConfiguration(),
                new MetricsConfiguration(), new JolokiaConfiguration(), new ProfileConfiguration(),
                new HttpListenerConfiguration(), new TimelineConfiguration(), new AdminConfiguration(),
                new DlqConfiguration(), new PolicyConfiguration(), new AuditConfiguration(), new BrokerConfiguration(),
                new IngestConfiguration(), new StoreConfiguration(), new PrivacyConfiguration(),
                new ApprovalConfiguration(), new QualityConfiguration(), new TracingConfiguration());
        List<RoutesBuilder> routes = List.of(new FlowRoutes(), new FlowRolloutRoutes(), new ProbeRoutes(), new SandboxRoutes(), new MetricsRoutes(),
                new TimelineRoutes(), new DlqRoutes(), new AuditRoutes(), new WebhookIngestRoutes(),
                new RetentionRoutes(), new ApprovalConsoleRoutes(), new ApprovalRoutes(), new ReconciliationRoutes(),
                new PollingRoutes(), new QuarantineRoutes(), new VolumeRoutes());
        configurations.forEach(main.configure()::addConfiguration);
        routes.forEach(main.configure()::addRoutesBuilder);
        // hookrail.routes.dir: flows from a directory, reloaded live
        main.addMainListener(new RoutesDirectory());
        return main;
    }
}
