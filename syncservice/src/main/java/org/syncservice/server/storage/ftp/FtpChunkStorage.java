package org.syncservice.server.storage.ftp;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPFile;
import org.apache.commons.net.ftp.FTPReply;
import org.apache.commons.net.ftp.FTPSClient;
import org.apache.commons.net.util.TrustManagerUtils;
import org.syncservice.server.config.StorageConfig;
import org.syncservice.server.core.ServiceException;
import org.syncservice.server.storage.ChunkStorage;
import org.syncservice.server.storage.Failures;
import org.syncservice.server.storage.Locations;
import org.syncservice.server.storage.SignedUrls;
import org.syncservice.server.storage.StorageAccess;
import org.syncservice.server.storage.StorageLocation;
import org.syncservice.server.storage.StoredChunk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chunks in a directory per workspace on an FTP server ({@code <root>/<workspaceId>/}). FTP has
 * no signed URLs and no per-directory grants the service could manage portably: clients log in
 * with FTP accounts of their own, which the FTP server's administrator sets up, so
 * {@link #signsUrls()} is false.
 *
 * <p>One connection per operation: {@link FTPClient} is not thread-safe, and the service talks to
 * storage only when provisioning, removing and (optionally) verifying chunks. With
 * {@code storage.ftp.tls} the connection is explicit FTPS, checking the server's certificate
 * against the JDK's trust store and its host name. Thread-safe.
 */
public final class FtpChunkStorage implements ChunkStorage {
    private static final Logger log = LoggerFactory.getLogger(FtpChunkStorage.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final StorageConfig.Ftp config;
    private volatile boolean healthy;

    public FtpChunkStorage(StorageConfig.Ftp config) {
        this.config = config;
    }

    @Override
    public StorageConfig.Backend backend() {
        return StorageConfig.Backend.FTP;
    }

    @Override
    public void start() {
        check();
        log.info("FTP storage reachable: {}:{} {}", config.host(), config.port(), config.rootDirectory());
    }

    @Override
    public void check() {
        run("cannot reach the FTP server", ftp -> {
            ftp.sendNoOp();
            return null;
        });
    }

    @Override
    public boolean isHealthy() {
        return healthy;
    }

    @Override
    public void close() {
        healthy = false;
    }

    @Override
    public void provision(StorageLocation location) {
        String directory = directory(location);
        run("cannot create " + directory, ftp -> {
            StringBuilder path = new StringBuilder(directory.startsWith("/") ? "/" : "");
            for (String part : directory.split("/")) {
                if (part.isEmpty()) {
                    continue;
                }
                path.append(part);
                if (!ftp.changeWorkingDirectory(path.toString()) && !ftp.makeDirectory(path.toString())
                        && !ftp.changeWorkingDirectory(path.toString())) {
                    // The last check covers another instance creating it between the two calls.
                    throw new IOException("cannot create " + path + ": " + ftp.getReplyString().trim());
                }
                path.append('/');
            }
            return null;
        });
    }

    @Override
    public void remove(StorageLocation location) {
        String directory = directory(location);
        run("cannot remove " + directory, ftp -> {
            if (ftp.changeWorkingDirectory(directory)) {
                // Servers refuse to remove the working directory: step out of it first.
                ftp.changeWorkingDirectory("/");
                deleteTree(ftp, directory);
            }
            return null;
        });
    }

    private static void deleteTree(FTPClient ftp, String directory) throws IOException {
        for (FTPFile file : ftp.listFiles(directory)) {
            String name = file.getName();
            if (name.equals(".") || name.equals("..")) {
                continue;
            }
            String path = directory + "/" + name;
            if (file.isDirectory()) {
                deleteTree(ftp, path);
            } else if (!ftp.deleteFile(path)) {
                throw new IOException("cannot delete " + path + ": " + ftp.getReplyString().trim());
            }
        }
        if (!ftp.removeDirectory(directory)) {
            throw new IOException("cannot remove " + directory + ": " + ftp.getReplyString().trim());
        }
    }

    /**
     * FTP has no server-side copy that servers commonly support, so each chunk is retrieved and
     * stored again over one connection (one chunk in memory at a time). A chunk the source
     * directory does not hold is skipped; one the target directory holds already (by its listing
     * at the start) is never replaced. FTP has no conditional store, so a chunk that arrives in the
     * target between that listing and its STOR is replaced: the window is one chunk's transfer.
     */
    @Override
    public int copyChunks(StorageLocation from, StorageLocation to, Collection<String> chunks) {
        String source = directory(from);
        String target = directory(to);
        return run("cannot copy chunks to " + target, ftp -> {
            Set<String> present = fileSizes(ftp, target).keySet();
            int copied = 0;
            for (String chunk : new LinkedHashSet<>(chunks)) {
                if (present.contains(chunk)) {
                    continue;
                }
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                if (!ftp.retrieveFile(source + "/" + chunk, bytes)) {
                    if (FTPReply.isNegativePermanent(ftp.getReplyCode())) {
                        continue; // 550: not there, see the interface
                    }
                    throw new IOException("cannot read " + source + "/" + chunk + ": " + ftp.getReplyString().trim());
                }
                if (!ftp.storeFile(target + "/" + chunk, new ByteArrayInputStream(bytes.toByteArray()))) {
                    throw new IOException("cannot store " + target + "/" + chunk + ": " + ftp.getReplyString().trim());
                }
                copied++;
            }
            return copied;
        });
    }

    @Override
    public boolean signsUrls() {
        return false;
    }

    @Override
    public SignedUrls signedUrls(StorageLocation location, List<String> chunks, StorageAccess access, Duration ttl,
                                 List<Long> sizes) {
        throw ServiceException.unimplemented(
                "FTP storage has no signed URLs; FTP clients use their own FTP credentials");
    }

    @Override
    public Set<String> missingChunks(StorageLocation location, Collection<String> chunks) {
        String directory = directory(location);
        Set<String> present = run("cannot list " + directory, ftp -> fileSizes(ftp, directory).keySet());
        Set<String> missing = new LinkedHashSet<>();
        for (String chunk : chunks) {
            if (!present.contains(chunk)) {
                missing.add(chunk);
            }
        }
        return missing;
    }

    /** One listing for presence and sizes, then MDTM per present chunk: listings give times to the minute at best. */
    @Override
    public Map<String, StoredChunk> storedChunks(StorageLocation location, Collection<String> chunks) {
        String directory = directory(location);
        return run("cannot list " + directory, ftp -> {
            Map<String, StoredChunk> stored = new LinkedHashMap<>();
            Map<String, Long> sizes = fileSizes(ftp, directory);
            for (String chunk : chunks) {
                Long size = sizes.get(chunk);
                if (size != null) {
                    Instant written = ftp.mdtmInstant(directory + "/" + chunk);
                    stored.put(chunk, new StoredChunk(chunk, size, written == null ? Instant.EPOCH : written));
                }
            }
            return stored;
        });
    }

    /** Deletes the listed ones only: servers answer an absent file with 450 or 550 alike, as for a refusal. */
    @Override
    public void deleteChunks(StorageLocation location, Collection<String> chunks) {
        String directory = directory(location);
        run("cannot delete chunks in " + directory, ftp -> {
            Set<String> present = fileSizes(ftp, directory).keySet();
            for (String chunk : chunks) {
                if (present.contains(chunk) && !ftp.deleteFile(directory + "/" + chunk)) {
                    throw new IOException("cannot delete " + chunk + ": " + ftp.getReplyString().trim());
                }
            }
            return null;
        });
    }

    /** The files of the directory by name, with their sizes; none when it does not exist. */
    private static Map<String, Long> fileSizes(FTPClient ftp, String directory) throws IOException {
        Map<String, Long> sizes = new HashMap<>();
        if (ftp.changeWorkingDirectory(directory)) {
            for (FTPFile file : ftp.listFiles(directory)) {
                if (file.isFile()) {
                    sizes.put(file.getName(), file.getSize());
                }
            }
        }
        return sizes;
    }

    /** The workspace's directory: the prefix without its trailing '/'. */
    private String directory(StorageLocation location) {
        Locations.require(backend(), location);
        String prefix = location.prefix();
        String directory = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        if (directory.isEmpty() || directory.equals("/")) {
            throw new IllegalArgumentException("an FTP location needs a directory: " + location);
        }
        return directory;
    }

    private interface FtpCall<T> {
        T call(FTPClient ftp) throws IOException;
    }

    private <T> T run(String what, FtpCall<T> call) {
        FTPClient ftp;
        try {
            ftp = newClient();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up FTPS: " + e, e);
        }
        try {
            ftp.connect(config.host(), config.port());
            if (!FTPReply.isPositiveCompletion(ftp.getReplyCode())) {
                throw new IOException("the server refused the connection: " + ftp.getReplyString().trim());
            }
            if (ftp instanceof FTPSClient ftps) {
                ftps.execPBSZ(0);
                ftps.execPROT("P");
            }
            if (!ftp.login(config.user(), config.password().reveal())) {
                throw new IOException("login as " + config.user() + " refused: " + ftp.getReplyString().trim());
            }
            ftp.enterLocalPassiveMode();
            ftp.setFileType(FTP.BINARY_FILE_TYPE);
            T result = call.call(ftp);
            healthy = true;
            return result;
        } catch (IOException e) {
            healthy = false;
            log.warn("FTP at {}:{}: {}: {}", config.host(), config.port(), what, e.toString());
            throw Failures.unavailable(what, e);
        } finally {
            disconnect(ftp);
        }
    }

    private FTPClient newClient() throws GeneralSecurityException {
        FTPClient ftp;
        if (config.tls()) {
            FTPSClient ftps = new FTPSClient(false);
            // commons-net's default trust manager checks only validity dates: use the JDK's.
            ftps.setTrustManager(TrustManagerUtils.getDefaultTrustManager(null));
            ftps.setEndpointCheckingEnabled(true);
            ftp = ftps;
        } else {
            ftp = new FTPClient();
        }
        ftp.setConnectTimeout((int) TIMEOUT.toMillis());
        ftp.setDefaultTimeout((int) TIMEOUT.toMillis());
        ftp.setDataTimeout(TIMEOUT);
        return ftp;
    }

    private static void disconnect(FTPClient ftp) {
        if (!ftp.isConnected()) {
            return;
        }
        try {
            ftp.logout();
        } catch (IOException e) {
            // The connection is going away anyway.
        }
        try {
            ftp.disconnect();
        } catch (IOException e) {
            // Nothing left to release.
        }
    }
}
