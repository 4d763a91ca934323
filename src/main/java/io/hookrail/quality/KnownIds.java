package io.hookrail.quality;

import java.sql.SQLException;
import java.util.Set;

/** Whether an id names something Hookrail knows, for the {@code known} rules. */
@FunctionalInterface
public interface KnownIds {

    /** The entities a {@code known} rule may name. */
    Set<String> ENTITIES = Set.of("order");

    /**
     * @param entity one of {@link #ENTITIES}
     * @param id     the id the event names
     */
    boolean isKnown(String entity, String id) throws SQLException;
}
