package io.hookrail.poll;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A polling source as its YAML declares it: a {@code templatedRoute} of the {@code polling-source} template
 * (routes/poll-support.camel.yaml) with these parameters. {@code none} stands for an optional parameter left out.
 *
 * @param name             the source's name: the door's deduplication namespace, a label, {@code /api/sources/{name}}
 * @param url              the endpoint that pages the items (no query string: the poller adds it)
 * @param eventType        the event type every item is, checked against that type's data contract
 * @param interval         how often a window starts ({@link PollSchedule} says which intervals are allowed)
 * @param pageSize         items asked for per page
 * @param itemsPointer     JSON pointer to the page's array of items, e.g. {@code /items}
 * @param idPointer        JSON pointer, within an item, to its id in the remote system: the event id
 * @param timePointer      JSON pointer, within an item, to when it happened (RFC 3339), or null: the poll's time
 * @param mode             where the next watermark comes from
 * @param watermarkPointer CURSOR: JSON pointer to the next cursor in the page; TIMESTAMP: to each item's timestamp
 * @param watermarkParam   the query parameter that carries the watermark, e.g. {@code after} or {@code since}
 * @param pageSizeParam    the query parameter that carries the page size, e.g. {@code limit}
 * @param initialWatermark where the first window starts, or null: from the beginning (no watermark parameter)
 */
public record PollingSource(String name, String url, String eventType, Duration interval, int pageSize,
                            String itemsPointer, String idPointer, String timePointer, Mode mode,
                            String watermarkPointer, String watermarkParam, String pageSizeParam,
                            String initialWatermark) {

    /** How the source pages. */
    public enum Mode {
        /** An opaque cursor from each page (the remote system's "next page" token); items in cursor order. */
        CURSOR,
        /** The largest item timestamp of the page; items with the same timestamp overlap, and the door dedups them. */
        TIMESTAMP
    }

    /** The template's name. */
    public static final String TEMPLATE = "polling-source";
    /** The template parameter that only this template has: how the routes of polling sources are recognised. */
    static final String MARKER = "watermarkParam";
    static final String NONE = "none";
    static final int MAX_PAGE_SIZE = 1000;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern QUERY_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    /** The singleton namespace (ADR 9) of the source's poller, also the route id of its templated route. */
    public String routeId() {
        return "poll-" + name;
    }

    /** Whether a templated route's parameters are a polling source's. */
    static boolean isPollingSource(Map<String, Object> parameters) {
        return parameters != null && parameters.containsKey(MARKER) && parameters.containsKey("source");
    }

    /**
     * Reads a source from its template parameters.
     *
     * @throws IllegalArgumentException naming the parameter that is wrong
     */
    static PollingSource of(Map<String, Object> parameters) {
        String name = text(parameters, "source");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("polling source '" + name + "': source must be 1 to 64 letters, digits,"
                    + " '_' or '-'");
        }
        String url = text(parameters, "url");
        if (!url.startsWith("http://") && !url.startsWith("https://") || url.contains("?")) {
            throw bad(name, "url", url, "an http:// or https:// URL without a query string");
        }
        Duration interval;
        try {
            interval = Duration.parse(text(parameters, "interval"));
        } catch (DateTimeParseException e) {
            throw bad(name, "interval", text(parameters, "interval"), "an ISO-8601 duration such as PT5M");
        }
        int pageSize;
        try {
            pageSize = Integer.parseInt(text(parameters, "pageSize"));
        } catch (NumberFormatException e) {
            pageSize = 0;
        }
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw bad(name, "pageSize", text(parameters, "pageSize"), "an integer from 1 to " + MAX_PAGE_SIZE);
        }
        Mode mode;
        try {
            mode = Mode.valueOf(text(parameters, "watermark").toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw bad(name, "watermark", text(parameters, "watermark"), "cursor or timestamp");
        }
        for (String query : new String[] {"watermarkParam", "pageSizeParam"}) {
            if (!QUERY_NAME.matcher(text(parameters, query)).matches()) {
                throw bad(name, query, text(parameters, query), "a query parameter name");
            }
        }
        PollingSource source = new PollingSource(name, url, text(parameters, "eventType"), interval, pageSize,
                pointer(name, parameters, "itemsPointer"), pointer(name, parameters, "idPointer"),
                optionalPointer(name, parameters, "timePointer"), mode, pointer(name, parameters, "watermarkPointer"),
                text(parameters, "watermarkParam"), text(parameters, "pageSizeParam"),
                optional(parameters, "initialWatermark"));
        PollSchedule.of(interval, "check", name); // refuses an interval it cannot keep off the top of the hour
        return source;
    }

    private static String pointer(String name, Map<String, Object> parameters, String key) {
        String value = text(parameters, key);
        if (!value.startsWith("/")) {
            throw bad(name, key, value, "a JSON pointer such as /items");
        }
        return value;
    }

    private static String optionalPointer(String name, Map<String, Object> parameters, String key) {
        return optional(parameters, key) == null ? null : pointer(name, parameters, key);
    }

    private static String optional(Map<String, Object> parameters, String key) {
        Object value = parameters.get(key);
        return value == null || value.toString().isBlank() || NONE.equals(value.toString().trim()) ? null
                : value.toString().trim();
    }

    private static String text(Map<String, Object> parameters, String key) {
        Object value = parameters.get(key);
        if (value == null || value.toString().isBlank()) {
            throw new IllegalArgumentException("polling source '" + parameters.get("source") + "': parameter " + key
                    + " is not set");
        }
        return value.toString().trim();
    }

    private static IllegalArgumentException bad(String name, String key, String value, String expected) {
        return new IllegalArgumentException("polling source '" + name + "': " + key + " must be " + expected
                + ", not '" + value + "'");
    }
}
