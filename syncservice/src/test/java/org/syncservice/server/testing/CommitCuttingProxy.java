package org.syncservice.server.testing;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 between the service's connection pool and the real PostgreSQL that
 * understands just enough of the wire protocol (v3, no TLS: connect with {@code sslmode=disable})
 * to break connections around a COMMIT: it follows which prepared statements are a {@code COMMIT}
 * (Parse messages, and the simple-query text) and, when one is about to run (its Bind, or the
 * Query), either cuts before forwarding it ({@link Cut#BEFORE_COMMIT}) or forwards it, holds the
 * server's reply until its ReadyForQuery, and cuts then, the reply never relayed
 * ({@link Cut#AFTER_COMMIT}). A cut closes every connection through the proxy (as a restart or
 * {@code pg_terminate_backend} of all would) and refuses new ones for a while.
 *
 * <p>Cuts are asked for one at a time ({@link #cutNextCommit}) or drawn from a seeded random
 * source ({@link #cutAtRandom}): with a chance per COMMIT, before or after it, and a smaller chance
 * at any other message. Thread-safe.
 */
public final class CommitCuttingProxy implements AutoCloseable {
    /** Where a cut falls. */
    public enum Cut {
        /** The COMMIT is never forwarded: the transaction cannot have committed. */
        BEFORE_COMMIT,
        /** The COMMIT reaches the server and completes; its reply is dropped. */
        AFTER_COMMIT
    }

    private final String targetHost;
    private final int targetPort;
    private final ServerSocket listener;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final AtomicInteger cuts = new AtomicInteger();
    private final CopyOnWriteArrayList<String> cutLog = new CopyOnWriteArrayList<>();
    private final Object plan = new Object();
    private final ArrayDeque<Planned> planned = new ArrayDeque<>();
    private Random random;
    private double commitChance;
    private double otherChance;
    private Duration maxDown = Duration.ZERO;
    private Duration longDown = Duration.ZERO;
    private volatile long refuseUntilNanos;
    private volatile boolean closed;

    private CommitCuttingProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread acceptor = new Thread(this::accept, "commit-cutting-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A proxy to the machine's PostgreSQL (as {@link TestDatabase} finds it). */
    public static CommitCuttingProxy toTestPostgres() throws IOException {
        String host = env("SYNCSERVICE_TEST_PG_HOST", "127.0.0.1");
        return new CommitCuttingProxy(host, Integer.parseInt(env("SYNCSERVICE_TEST_PG_PORT", "5432")));
    }

    /** A JDBC URL for the database through this proxy. */
    public String url(TestDatabase database) {
        return "jdbc:postgresql://127.0.0.1:" + listener.getLocalPort() + "/" + database.name()
                + "?sslmode=disable&gssEncMode=disable";
    }

    /** A cut asked for: where, of which connections, and how long new ones are refused after it. */
    private record Planned(Cut where, boolean everyConnection, Duration down) {
    }

    /**
     * The next COMMIT that passes is cut {@code where}: every connection through the proxy is
     * closed, and new ones are refused for {@code down}.
     */
    public void cutNextCommit(Cut where, Duration down) {
        synchronized (plan) {
            planned.add(new Planned(where, true, down));
        }
    }

    /** The next {@code times} COMMITs that pass are cut {@code where}, each closing its own connection only. */
    public void cutNextCommitsOfTheirConnection(Cut where, int times) {
        synchronized (plan) {
            for (int i = 0; i < times; i++) {
                planned.add(new Planned(where, false, Duration.ZERO));
            }
        }
    }

    /**
     * From now on, each COMMIT is cut with {@code commitChance} (before or after it, evenly), any
     * other message with {@code otherChance}; each cut refuses connections for up to {@code maxDown},
     * or, one cut in ten, for {@code longDown}.
     */
    public void cutAtRandom(long seed, double commitChance, double otherChance, Duration maxDown,
                            Duration longDown) {
        synchronized (plan) {
            this.random = new Random(seed);
            this.commitChance = commitChance;
            this.otherChance = otherChance;
            this.maxDown = maxDown;
            this.longDown = longDown;
        }
    }

    /** No more cuts. */
    public void stopCutting() {
        synchronized (plan) {
            random = null;
            planned.clear();
        }
    }

    /** Waits until the proxy takes connections again after a cut. */
    public void awaitUp() throws InterruptedException {
        long wait = refuseUntilNanos - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    public int cuts() {
        return cuts.get();
    }

    /** What each cut was (where, and the message it fell on), in order. */
    public List<String> cutLog() {
        return List.copyOf(cutLog);
    }

    /**
     * What to do at a message: null to forward it, else the cut. Cuts asked for fall on COMMITs of
     * transactions that store an answer only (not on the outbox's or a login's, say).
     */
    private Planned decide(boolean commit, boolean storesAnswer) {
        synchronized (plan) {
            if (!planned.isEmpty()) {
                if (!commit || !storesAnswer) {
                    return null;
                }
                return planned.poll();
            }
            if (random == null) {
                return null;
            }
            double draw = random.nextDouble();
            if (commit && draw < commitChance) {
                Cut where = random.nextBoolean() ? Cut.BEFORE_COMMIT : Cut.AFTER_COMMIT;
                return new Planned(where, random.nextBoolean(), randomDown());
            }
            if (!commit && draw < otherChance) {
                return new Planned(Cut.BEFORE_COMMIT, random.nextBoolean(), randomDown());
            }
            return null;
        }
    }

    /** Called holding the plan's lock. */
    private Duration randomDown() {
        return random.nextInt(10) == 0 ? longDown
                : Duration.ofMillis((long) (random.nextDouble() * maxDown.toMillis()));
    }

    /** Cuts {@code link}, or every connection when the cut decided on says so. */
    private void cut(Link link, Planned cut, String what) {
        long down = cut.down().toNanos();
        boolean all = cut.everyConnection();
        refuseUntilNanos = System.nanoTime() + down;
        cuts.incrementAndGet();
        cutLog.add(what + (all ? ", every connection" : ", its connection") + ", down "
                + Duration.ofNanos(down).toMillis() + " ms");
        if (all) {
            for (Link each : links) {
                each.close();
            }
        }
        link.close();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                if (System.nanoTime() < refuseUntilNanos) {
                    client.close();
                    continue;
                }
                Socket server = new Socket(targetHost, targetPort);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                Link link = new Link(client, server);
                links.add(link);
                link.start();
            } catch (IOException e) {
                if (!closed) {
                    continue;
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        for (Link link : links) {
            link.close();
        }
    }

    /** One proxied connection: a client-to-server and a server-to-client pump, message by message. */
    private final class Link {
        private final Socket client;
        private final Socket server;
        private final Set<String> commitStatements = new HashSet<>();
        private final Set<String> answerStatements = new HashSet<>();
        /** Whether the transaction under way ran a statement that stores an answer. */
        private boolean storesAnswer;
        /** Set once a COMMIT was forwarded that is to be cut after: its reply is held. */
        private volatile Planned holdReply;

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void start() {
            Thread up = new Thread(this::upstream, "proxy-up");
            Thread down = new Thread(this::downstream, "proxy-down");
            up.setDaemon(true);
            down.setDaemon(true);
            up.start();
            down.start();
        }

        void close() {
            links.remove(this);
            closeQuietly(client);
            closeQuietly(server);
        }

        private void upstream() {
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(client.getInputStream()));
                 OutputStream out = new BufferedOutputStream(server.getOutputStream())) {
                int length = in.readInt(); // the startup message has no type byte
                byte[] startup = new byte[length - 4];
                in.readFully(startup);
                writeInt(out, length);
                out.write(startup);
                out.flush();
                while (true) {
                    int type = in.read();
                    if (type < 0) {
                        break;
                    }
                    int size = in.readInt();
                    byte[] body = new byte[size - 4];
                    in.readFully(body);
                    boolean commit = runsCommit((char) type, body);
                    Planned cut = decide(commit, storesAnswer);
                    if (commit) {
                        storesAnswer = false;
                    }
                    if (cut != null && cut.where() == Cut.BEFORE_COMMIT) {
                        cut(this, cut, "before " + (commit ? "COMMIT" : "message '" + (char) type + "'"));
                        return;
                    }
                    out.write(type);
                    writeInt(out, size);
                    out.write(body);
                    if (cut != null) {
                        holdReply = cut;
                    }
                    // Flush at the messages after which the driver waits for the server.
                    if (type == 'S' || type == 'H' || type == 'Q' || type == 'X' || type == 'd' || type == 'c'
                            || type == 'f' || type == 'F' || in.available() == 0) {
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // The other side closed, or a cut: done.
            } finally {
                close();
            }
        }

        private void downstream() {
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(server.getInputStream()));
                 OutputStream out = new BufferedOutputStream(client.getOutputStream())) {
                while (true) {
                    int type = in.read();
                    if (type < 0) {
                        break;
                    }
                    int size = in.readInt();
                    byte[] body = new byte[size - 4];
                    in.readFully(body);
                    Planned held = holdReply;
                    if (held != null) {
                        if (type == 'Z') {
                            cut(this, held, "after COMMIT");
                            return;
                        }
                        continue;
                    }
                    out.write(type);
                    writeInt(out, size);
                    out.write(body);
                    if (in.available() == 0) {
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // The other side closed, or a cut: done.
            } finally {
                close();
            }
        }

        /** Whether the message makes the server run a COMMIT; notes the COMMIT statements it prepares. */
        private boolean runsCommit(char type, byte[] body) {
            if (type == 'Q') {
                storesAnswer |= storesAnswer(cString(body, 0));
                for (String statement : cString(body, 0).split(";")) {
                    if (isCommit(statement)) {
                        return true;
                    }
                }
                return false;
            }
            if (type == 'P') {
                String name = cString(body, 0);
                String query = cString(body, name.getBytes(StandardCharsets.UTF_8).length + 1);
                if (isCommit(query)) {
                    commitStatements.add(name);
                } else {
                    commitStatements.remove(name);
                }
                if (storesAnswer(query)) {
                    answerStatements.add(name);
                } else {
                    answerStatements.remove(name);
                }
                return false;
            }
            if (type == 'B') {
                String portal = cString(body, 0);
                String statement = cString(body, portal.getBytes(StandardCharsets.UTF_8).length + 1);
                storesAnswer |= answerStatements.contains(statement);
                return commitStatements.contains(statement);
            }
            return false;
        }
    }

    private static boolean storesAnswer(String statement) {
        return statement.toUpperCase(Locale.ROOT).contains("INSERT INTO REQUEST_LOG");
    }

    private static boolean isCommit(String statement) {
        String s = statement.trim().toUpperCase(Locale.ROOT);
        return s.equals("COMMIT") || s.equals("END") || s.startsWith("COMMIT ");
    }

    private static String cString(byte[] body, int from) {
        int end = from;
        while (end < body.length && body[end] != 0) {
            end++;
        }
        return new String(body, from, end - from, StandardCharsets.UTF_8);
    }

    private static void writeInt(OutputStream out, int value) throws IOException {
        out.write(value >>> 24);
        out.write(value >>> 16);
        out.write(value >>> 8);
        out.write(value);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing is all that is wanted.
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
