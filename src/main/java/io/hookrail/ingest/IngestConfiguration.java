package io.hookrail.ingest;

import io.hookrail.ops.http.ListenerTls;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;

/**
 * Binds the configured {@code webhookSources}, their {@code webhookRateLimits}, the {@code webhookClientCertificates}
 * some of them require and the {@code eventContracts} of the event types they may send, and installs the gateway's
 * HTTP guards. A source with a bad scheme, rate limit or certificate pin, or a type without a contract, stops startup.
 */
@Configuration
public class IngestConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        WebhookSources sources = WebhookSources.fromProperties(
                key -> context.getPropertiesComponent().resolveProperty(key).orElse(null));
        sources.warnAboutDemoSecrets();
        context.getRegistry().bind("webhookSources", sources);
        context.getRegistry().bind("webhookRateLimits", SourceRateLimits.fromProperties(
                key -> context.getPropertiesComponent().resolveProperty(key).orElse(null),
                sources.all().stream().map(WebhookSource::name).toList(), System::nanoTime));
        context.getRegistry().bind("webhookClientRateLimits", ClientRateLimits.fromProperties(
                key -> context.getPropertiesComponent().resolveProperty(key).orElse(null), System::nanoTime));
        ClientCertificates certificates = ClientCertificates.fromProperties(
                key -> context.getPropertiesComponent().resolveProperty(key).orElse(null),
                sources.all().stream().map(WebhookSource::name).toList());
        certificates.warnIfNotAskedFor(ListenerTls.asksForClientCertificates(
                key -> context.getPropertiesComponent().resolveProperty(key).orElse(null)));
        context.getRegistry().bind("webhookClientCertificates", certificates);
        context.getRegistry().bind("eventContracts",
                EventContracts.load(sources.all().stream().flatMap(s -> s.eventTypes().stream()).toList()));
        context.addStartupListener(new GatewayHttpGuards());
        context.addStartupListener(new GatewayOpening());
    }
}
