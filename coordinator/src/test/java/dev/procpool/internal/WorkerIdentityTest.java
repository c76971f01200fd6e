package dev.procpool.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.procpool.protocol.Handshake;
import dev.procpool.protocol.Protocol;
import dev.procpool.spi.LaunchedWorker;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** How messages name a worker, before and after its handshake, here and elsewhere. */
class WorkerIdentityTest {

    @Test
    void aLocalWorker_isNamedByItsPid_beforeAndAfterItsHandshake() {
        WorkerIdentity identity = new WorkerIdentity(3, launched(4711, "localhost"));
        assertEquals("worker 3 (pid 4711)", identity.describe());

        identity.identified(new Handshake(Protocol.VERSION, 1, 4711, "box"));

        assertEquals("worker 3 (pid 4711)", identity.describe());
    }

    @Test
    void aWorkerElsewhere_isNamedByTheLocalPidUntilItsHandshake_thenByItsOwnThere() {
        WorkerIdentity identity = new WorkerIdentity(5, launched(17588, "h1"));
        assertEquals("worker 5 (pid 17588 here, starting on h1)", identity.describe());

        identity.identified(new Handshake(Protocol.VERSION, 1, 903, "h1.example"));

        assertEquals("worker 5 (pid 903 on h1)", identity.describe(), "the launcher's name for the host is kept");
    }

    @Test
    void aWorkerWhoseHostTheLauncherDoesNotKnow_isNamedByTheHostItReports() {
        WorkerIdentity identity = new WorkerIdentity(2, launched(222, ""));
        assertEquals("worker 2 (pid 222 here, starting)", identity.describe());

        identity.identified(new Handshake(Protocol.VERSION, 1, 77, "node1"));

        assertEquals("worker 2 (pid 77 on node1)", identity.describe());
    }

    /** A launched worker that only says who it is. */
    private static LaunchedWorker launched(long pid, String host) {
        return new LaunchedWorker() {
            @Override
            public OutputStream stdin() {
                return OutputStream.nullOutputStream();
            }

            @Override
            public InputStream stdout() {
                return InputStream.nullInputStream();
            }

            @Override
            public InputStream stderr() {
                return InputStream.nullInputStream();
            }

            @Override
            public long pid() {
                return pid;
            }

            @Override
            public String host() {
                return host;
            }

            @Override
            public CompletableFuture<Integer> onExit() {
                return new CompletableFuture<>();
            }

            @Override
            public void kill() {
            }
        };
    }
}
