package io.hookrail.ops.logging;

import java.util.List;

import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.core.pattern.ConverterKeys;
import org.apache.logging.log4j.core.pattern.LogEventPatternConverter;
import org.apache.logging.log4j.core.pattern.PatternConverter;
import org.apache.logging.log4j.core.pattern.PatternFormatter;

/**
 * {@code %mask{pattern}} in a {@link PatternLayout}: renders the nested pattern, then masks the personal data in it
 * with {@link PersonalDataMasking}. Hookrail's console layout wraps {@code %msg%n%xEx} in it, so every logger's
 * message and every logged exception (message, causes and stack) is masked, Camel's own included.
 * <p>
 * When the nested pattern renders the exception ({@code %xEx}, {@code %ex}, ...), this converter says it handles the
 * exception, so the layout does not append it a second time, unmasked. {@code %mask} alone is {@code %mask{%msg%xEx}}.
 * <p>
 * Found by Log4j through the plugin cache ({@code Log4j2Plugins.dat}) that log4j-core's annotation processor writes
 * at compile time, which the shaded jar merges.
 */
@Plugin(name = "MaskingPatternConverter", category = PatternConverter.CATEGORY)
@ConverterKeys({"mask"})
public final class MaskingPatternConverter extends LogEventPatternConverter {

    static final String DEFAULT_PATTERN = "%msg%xEx";

    private final List<PatternFormatter> formatters;
    private final boolean handlesThrowable;

    private MaskingPatternConverter(List<PatternFormatter> formatters) {
        super("mask", "mask");
        this.formatters = formatters;
        this.handlesThrowable = formatters.stream().anyMatch(PatternFormatter::handlesThrowable);
    }

    /** Called by Log4j with the options in braces: the nested pattern. */
    public static MaskingPatternConverter newInstance(Configuration config, String[] options) {
        String pattern = options != null && options.length > 0 && options[0] != null && !options[0].isEmpty()
                ? options[0] : DEFAULT_PATTERN;
        return new MaskingPatternConverter(PatternLayout.createPatternParser(config).parse(pattern));
    }

    @Override
    public void format(LogEvent event, StringBuilder toAppendTo) {
        StringBuilder rendered = new StringBuilder(128);
        for (PatternFormatter formatter : formatters) {
            formatter.format(event, rendered);
        }
        toAppendTo.append(PersonalDataMasking.mask(rendered));
    }

    @Override
    public boolean handlesThrowable() {
        return handlesThrowable;
    }
}
