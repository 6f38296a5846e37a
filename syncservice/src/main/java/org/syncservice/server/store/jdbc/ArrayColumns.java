package org.syncservice.server.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Rows sent to PostgreSQL in one statement as one array per column, and turned back into rows
 * there by {@code unnest}: each column is declared once (name, PostgreSQL type, how a row gives its
 * value), so that the statement's {@code unnest} list and the arrays bound to it cannot fall out of
 * step. Immutable and thread-safe once built.
 *
 * @param <R> what one row is made from
 */
final class ArrayColumns<R> {
    private record Column<R>(String name, String type, Function<R, Object> value) {
    }

    private final List<Column<R>> columns;

    private ArrayColumns(List<Column<R>> columns) {
        this.columns = List.copyOf(columns);
    }

    static <R> Builder<R> builder() {
        return new Builder<>();
    }

    /** Declares the columns in order; each name appears once. */
    static final class Builder<R> {
        private final List<Column<R>> columns = new ArrayList<>();

        /**
         * @param type a PostgreSQL type name that {@link Connection#createArrayOf} also takes
         *     ({@code int8}, {@code int4}, {@code text}, {@code uuid}, {@code bool}, {@code bytea})
         */
        Builder<R> column(String name, String type, Function<R, Object> value) {
            if (columns.stream().anyMatch(column -> column.name().equals(name))) {
                throw new IllegalArgumentException("column " + name + " is declared twice");
            }
            columns.add(new Column<>(name, type, value));
            return this;
        }

        ArrayColumns<R> build() {
            return new ArrayColumns<>(columns);
        }
    }

    /** {@code unnest(?::int8[], ...) AS alias (name, ...)}, a parameter per column. */
    String unnest(String alias) {
        return "unnest(" + columns.stream().map(column -> "?::" + column.type() + "[]")
                .collect(Collectors.joining(", ")) + ") AS " + alias + " (" + names() + ")";
    }

    /** The column names, comma-separated, in their order. */
    String names() {
        return columns.stream().map(Column::name).collect(Collectors.joining(", "));
    }

    /**
     * Binds one array per column, made from {@code rows}, to the parameters from {@code first} on.
     *
     * @return the index of the next parameter
     */
    int bind(Connection connection, PreparedStatement statement, int first, List<R> rows) throws SQLException {
        int parameter = first;
        for (Column<R> column : columns) {
            Object[] values = elements(column.type(), rows.size());
            for (int i = 0; i < values.length; i++) {
                values[i] = column.value().apply(rows.get(i));
            }
            statement.setArray(parameter++, connection.createArrayOf(column.type(), values));
        }
        return parameter;
    }

    /**
     * An array of the Java type from which the driver sends {@code type}'s values in binary (Long[]
     * for int8, Integer[], Boolean[], String[] for text, byte[][], the only one it takes for bytea),
     * so that it neither formats nor escapes them as an array's text; Object[], sent as text, for
     * the rest (uuid, timestamptz).
     */
    static Object[] elements(String type, int size) {
        return switch (type) {
            case "int8", "bigint" -> new Long[size];
            case "int4", "integer" -> new Integer[size];
            case "bool", "boolean" -> new Boolean[size];
            case "text" -> new String[size];
            case "bytea" -> new byte[size][];
            default -> new Object[size];
        };
    }
}
