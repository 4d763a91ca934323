package io.hookrail.ops.logging;

import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginFactory;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.layout.template.json.resolver.EventResolver;
import org.apache.logging.log4j.layout.template.json.resolver.EventResolverContext;
import org.apache.logging.log4j.layout.template.json.resolver.EventResolverFactory;
import org.apache.logging.log4j.layout.template.json.resolver.TemplateResolverConfig;
import org.apache.logging.log4j.layout.template.json.resolver.TemplateResolverFactory;
import org.apache.logging.log4j.layout.template.json.util.JsonWriter;

/**
 * {@code {"$resolver": "maskedException"}} in a {@code JsonTemplateLayout} template: the logged exception with its
 * causes and stack, rendered by {@code %mask{%xEx}} exactly as the console layout renders it, as one JSON string.
 * <p>
 * Unlike the built-in {@code pattern} resolver, which always writes a string (an empty one without an exception), this
 * resolver is not resolvable for an event without an exception, so its field is left out of that event's line. The
 * built-in {@code exception} resolver cannot be used for the text: it does not mask.
 * <p>
 * Found by Log4j through the plugin cache, like {@link MaskingPatternConverter}.
 */
@Plugin(name = "MaskedExceptionResolverFactory", category = TemplateResolverFactory.CATEGORY)
public final class MaskedExceptionResolverFactory implements EventResolverFactory {

    static final String NAME = "maskedException";
    static final String PATTERN = "%mask{%xEx}";

    private static final MaskedExceptionResolverFactory INSTANCE = new MaskedExceptionResolverFactory();

    private MaskedExceptionResolverFactory() {
    }

    @PluginFactory
    public static MaskedExceptionResolverFactory getInstance() {
        return INSTANCE;
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public EventResolver create(EventResolverContext context, TemplateResolverConfig config) {
        PatternLayout layout = PatternLayout.newBuilder()
                .withConfiguration(context.getConfiguration())
                .withCharset(context.getCharset())
                .withPattern(PATTERN)
                .withAlwaysWriteExceptions(false)
                .build();
        return new MaskedExceptionResolver(layout, context.isStackTraceEnabled());
    }

    private static final class MaskedExceptionResolver implements EventResolver {

        private final PatternLayout layout;
        private final boolean enabled;

        MaskedExceptionResolver(PatternLayout layout, boolean enabled) {
            this.layout = layout;
            this.enabled = enabled;
        }

        @Override
        public boolean isResolvable(LogEvent event) {
            return enabled && event.getThrown() != null;
        }

        @Override
        public void resolve(LogEvent event, JsonWriter jsonWriter) {
            StringBuilder rendered = new StringBuilder(2048);
            layout.serialize(event, rendered);
            // the stack ends with a line separator: the JSON line needs none
            int end = rendered.length();
            while (end > 0 && Character.isWhitespace(rendered.charAt(end - 1))) {
                end--;
            }
            rendered.setLength(end);
            jsonWriter.writeString(rendered);
        }
    }
}
