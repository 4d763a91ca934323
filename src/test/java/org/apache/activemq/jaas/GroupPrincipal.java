package org.apache.activemq.jaas;

import java.security.Principal;
import java.util.Objects;

/**
 * Test-only stand-in for {@code activemq-jaas}'s group principal, which ActiveMQ's {@code simpleAuthenticationPlugin}
 * and {@code authorizationPlugin} (docker/activemq/activemq.xml) name their groups with. The jar is part of the
 * ActiveMQ distribution that the {@code apache/activemq-classic} image runs, but the Maven registry here does not
 * serve {@code activemq-jaas} 6.2.0 (see BrokerAccess), so ActiveMqPairTest's brokers load this one: same name,
 * same constructor, equal by name, which is all both plugins use.
 */
public class GroupPrincipal implements Principal {

    private final String name;

    public GroupPrincipal(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GroupPrincipal group && name.equals(group.name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }
}
