package io.hookrail.audit;

import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookrail.ops.HttpAnswers;

/** One page of audit entries, newest first, with the number of entries matching the filters. */
public record AuditPage(List<AuditEntry> items, int page, int size, long total) {

    public AuditPage {
        items = List.copyOf(items);
    }

    /** {@code {"items": [...], "page", "size", "total"}}. */
    public ObjectNode toJson() {
        ObjectNode json = HttpAnswers.MAPPER.createObjectNode();
        ArrayNode array = json.putArray("items");
        items.forEach(entry -> array.add(entry.toJson()));
        return json.put("page", page).put("size", size).put("total", total);
    }
}
