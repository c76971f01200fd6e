package dev.procpool.spi;

import dev.procpool.testing.SshHosts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TmpStatusIT {
    @TempDir Path dir;

    int count(List<String> base, int n) throws Exception {
        int bad = 0;
        for (int i = 0; i < n; i++) {
            List<String> cmd = new ArrayList<>(base);
            cmd.add("test -f a || echo a; test -f b || echo b; ");
            Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            String out = new String(p.getInputStream().readAllBytes());
            String err = new String(p.getErrorStream().readAllBytes());
            int st = p.waitFor();
            if (st != 0 || !out.equals("a\nb\n")) { bad++; System.out.println("st " + st + " out [" + out + "] err [" + err + "]"); }
        }
        return bad;
    }

    @Test
    void statuses() throws Exception {
        try (SshHosts hosts = SshHosts.in(dir).host("alpha").start()) {
            Path sock = Files.createTempDirectory(Path.of("/tmp"), "pp").resolve("s");
            SshConnection c = SshConnection.open("alpha", hosts.sshArgs(), sock);
            List<String> direct = List.of("ssh", "-T", "-F", hosts.config().toString(), "alpha");
            List<String> mux = List.of("ssh", "-v", "-T", "-o", "ControlMaster=no", "-o", "ControlPath=" + sock, "-F", hosts.config().toString(), "alpha");
            int bad = 0;
            for (int i = 0; i < 600; i++) {
                SshConnection.Result r = c.run("test -f a || echo a; test -f b || echo b; ", null, java.time.Duration.ofSeconds(10));
                if (r.status() != 0) { bad++; System.out.println(System.nanoTime() + " run status " + r.status() + " err [" + r.stderr() + "]"); }
            }
            System.out.println("run bad " + bad + " of 600");
            System.out.println("mux bad " + count(mux, 1500) + " of 300");
            c.close();
        }
    }
}
