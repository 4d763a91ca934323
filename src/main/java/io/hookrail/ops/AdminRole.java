package io.hookrail.ops;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The roles of the admin API (DESIGN section 3). A viewer may read; an operator may read and replay dead letters; an
 * approver may read and decide approvals.
 */
public enum AdminRole {

    VIEWER, OPERATOR, APPROVER;

    /** The name used in configuration and answers: {@code viewer}, {@code operator}, {@code approver}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Every role: reading is open to any authenticated admin user. */
    public static AdminRole[] anyRole() {
        return values();
    }

    /** Parses a configured role name, case-insensitively. */
    public static AdminRole parse(String value) {
        String wanted = value == null ? "" : value.trim();
        return Arrays.stream(values()).filter(role -> role.id().equalsIgnoreCase(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown admin role '" + wanted + "': expected one of "
                        + Arrays.stream(values()).map(AdminRole::id).collect(Collectors.joining(", "))));
    }
}
