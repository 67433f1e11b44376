package sqltest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Replica is a PostgreSQL streaming replica of the test server, started by
// StartReplica in a temporary directory.
type Replica struct {
	Port  int    // its TCP port on 127.0.0.1
	dir   string // the directory holding data/, the socket and the log
	bin   string // the server's programs (pg_ctl, pg_basebackup)
	cred  *syscall.Credential
	admin *sql.DB // the bootstrap superuser over the socket (trust), to pause replay
	base  string  // the primary's URL
}

// StartReplica makes a streaming replica of the server of
// HEALTHCELL_TEST_POSTGRES with pg_basebackup -R into a temporary directory
// and starts it on a free port; it is stopped and removed when the test
// ends. When this process runs as root, the server runs as the user
// postgres. The test role needs the REPLICATION attribute and pg_hba.conf a
// replication entry for it (scripts/test sets the attribute; Debian's
// pg_hba.conf has the entry). It skips the test when PostgreSQL is not
// configured or the replica cannot be made, unless HEALTHCELL_REQUIRE_POSTGRES
// is 1: then it fails, saying why.
func StartReplica(t testing.TB) *Replica {
	t.Helper()
	base := PostgresURL(t)
	r, err := startReplica(t, base)
	if err != nil {
		if os.Getenv("HEALTHCELL_REQUIRE_POSTGRES") == "1" {
			t.Fatalf("streaming replica: %v", err)
		}
		t.Skipf("streaming replica not available (HEALTHCELL_REQUIRE_POSTGRES unset): %v", err)
	}
	return r
}

// replicaSettings are the primary's settings a hot standby must not go below.
var replicaSettings = []string{"max_connections", "max_worker_processes", "max_wal_senders", "max_prepared_transactions", "max_locks_per_transaction"}

func startReplica(t testing.TB, base string) (*Replica, error) {
	primary, err := sql.Open("pgx", base)
	if err != nil {
		return nil, err
	}
	defer primary.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var version int
	var superuser, dbname string
	if err := primary.QueryRowContext(ctx, `SELECT current_setting('server_version_num')::int / 10000, (SELECT rolname FROM pg_roles WHERE oid = 10), current_database()`).Scan(&version, &superuser, &dbname); err != nil {
		return nil, fmt.Errorf("ask the primary: %w", err)
	}
	var canReplicate bool
	if err := primary.QueryRowContext(ctx, `SELECT rolreplication OR rolsuper FROM pg_roles WHERE rolname = current_user`).Scan(&canReplicate); err != nil {
		return nil, err
	}
	if !canReplicate {
		return nil, errors.New("the test role lacks REPLICATION: ALTER ROLE <role> REPLICATION (scripts/test does this)")
	}
	conf := []string{}
	for _, name := range replicaSettings {
		var v string
		if err := primary.QueryRowContext(ctx, `SELECT current_setting($1)`, name).Scan(&v); err != nil {
			return nil, err
		}
		conf = append(conf, fmt.Sprintf("%s = %s", name, v))
	}
	bin, err := serverBin(version, "pg_basebackup")
	if err != nil {
		return nil, err
	}
	r := &Replica{bin: bin, base: base}
	if r.dir, err = os.MkdirTemp("", "healthcell-replica-"); err != nil {
		return nil, err
	}
	t.Cleanup(func() { os.RemoveAll(r.dir) })
	if os.Geteuid() == 0 {
		// The server refuses to run as root.
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("running as root, and no user postgres to run the replica as: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		r.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chown(r.dir, uid, gid); err != nil {
			return nil, err
		}
	}
	if r.Port, err = freePort(); err != nil {
		return nil, err
	}
	data := filepath.Join(r.dir, "data")
	backup, cancelBackup := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancelBackup()
	if err := r.run(backup, "pg_basebackup", "-d", base, "-D", data, "-R", "-X", "stream", "-c", "fast", "--no-sync"); err != nil {
		return nil, err
	}
	// Debian keeps the configuration outside the data directory; write
	// the replica's own (a copied postgresql.auto.conf still applies).
	conf = append(conf, "port = "+strconv.Itoa(r.Port), "listen_addresses = '127.0.0.1'",
		"unix_socket_directories = '"+r.dir+"'", "hot_standby = on", "hot_standby_feedback = on",
		"shared_buffers = 16MB", "fsync = off", "logging_collector = off", "ssl = off")
	files := map[string]string{
		"postgresql.conf": strings.Join(conf, "\n") + "\n",
		// The socket lies in a directory only the server's user (and
		// root) may enter; TCP takes the replicated passwords.
		"pg_hba.conf":   "local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n",
		"pg_ident.conf": "",
	}
	for name, text := range files {
		if err := r.writeFile(filepath.Join(data, name), text); err != nil {
			return nil, err
		}
	}
	start, cancelStart := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancelStart()
	if err := r.run(start, "pg_ctl", "-D", data, "-l", filepath.Join(r.dir, "log"), "-w", "-t", "50", "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(r.dir, "log"))
		return nil, fmt.Errorf("%w\n%s", err, log)
	}
	t.Cleanup(func() {
		stop, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if r.admin != nil {
			r.admin.Close()
		}
		if err := r.run(stop, "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"); err != nil {
			t.Logf("stop replica: %v", err)
		}
	})
	admin := fmt.Sprintf("host=%s port=%d user=%s dbname=%s sslmode=disable", r.dir, r.Port, superuser, dbname)
	if r.admin, err = sql.Open("pgx", admin); err != nil {
		return nil, err
	}
	ping, cancelPing := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancelPing()
	if err := r.admin.PingContext(ping); err != nil {
		return nil, fmt.Errorf("connect to the replica as %s: %w", superuser, err)
	}
	return r, nil
}

// serverBin returns the directory of PostgreSQL version's programs holding
// program: Debian's /usr/lib/postgresql/VERSION/bin, else the directory on
// PATH that has it. It returns an error when neither has it.
func serverBin(version int, program string) (string, error) {
	bin := fmt.Sprintf("/usr/lib/postgresql/%d/bin", version)
	if _, err := os.Stat(filepath.Join(bin, program)); err == nil {
		return bin, nil
	}
	p, err := exec.LookPath(program)
	if err != nil {
		return "", fmt.Errorf("%s of PostgreSQL %d not found in %s or on PATH", program, version, bin)
	}
	return filepath.Dir(p), nil
}

// run runs one of the server's programs, as the server's user, and returns
// its output with the error when it fails.
func (r *Replica) run(ctx context.Context, name string, args ...string) error {
	cmd := exec.CommandContext(ctx, filepath.Join(r.bin, name), args...)
	cmd.Dir = r.dir
	// A child left holding the output pipe must not hang the test.
	cmd.WaitDelay = 5 * time.Second
	if r.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: r.cred}
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s: %w: %s", name, err, out)
	}
	return nil
}

// writeFile writes a file of the data directory, owned by the server's user.
func (r *Replica) writeFile(path, text string) error {
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		return err
	}
	if r.cred != nil {
		return os.Chown(path, int(r.cred.Uid), int(r.cred.Gid))
	}
	return nil
}

// freePort returns a TCP port of 127.0.0.1 that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// URL returns dsn (a postgres:// URL of the primary, with its search_path)
// pointed at the replica.
func (r *Replica) URL(t testing.TB, dsn string) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.Host = net.JoinHostPort("127.0.0.1", strconv.Itoa(r.Port))
	return u.String()
}

// Pause stops the replica replaying WAL: it keeps receiving but shows the
// data as of now until Resume.
func (r *Replica) Pause(t testing.TB) {
	t.Helper()
	if _, err := r.admin.Exec(`SELECT pg_wal_replay_pause()`); err != nil {
		t.Fatalf("pause replay: %v", err)
	}
	// Pausing takes effect between records; wait until it has.
	r.until(t, `SELECT pg_get_wal_replay_pause_state() = 'paused'`)
}

// Resume replays WAL again.
func (r *Replica) Resume(t testing.TB) {
	t.Helper()
	if _, err := r.admin.Exec(`SELECT pg_wal_replay_resume()`); err != nil {
		t.Fatalf("resume replay: %v", err)
	}
}

// CatchUp waits until the replica has replayed everything the primary had
// written when it was called.
func (r *Replica) CatchUp(t testing.TB) {
	t.Helper()
	r.until(t, `SELECT pg_last_wal_replay_lsn() >= '`+r.primaryLSN(t)+`'::pg_lsn`)
}

// Received waits until the replica has received (not necessarily
// replayed) everything the primary had written when it was called: while
// replay is paused, from then on it reports a lag.
func (r *Replica) Received(t testing.TB) {
	t.Helper()
	r.until(t, `SELECT pg_last_wal_receive_lsn() >= '`+r.primaryLSN(t)+`'::pg_lsn`)
}

// primaryLSN returns the primary's current WAL position; it fails t when
// the primary does not answer.
func (r *Replica) primaryLSN(t testing.TB) string {
	t.Helper()
	primary, err := sql.Open("pgx", r.base)
	if err != nil {
		t.Fatal(err)
	}
	defer primary.Close()
	var lsn string
	if err := primary.QueryRow(`SELECT pg_current_wal_lsn()::text`).Scan(&lsn); err != nil {
		t.Fatalf("primary position: %v", err)
	}
	return lsn
}

// until polls the replica's boolean query q for up to 30 s.
func (r *Replica) until(t testing.TB, q string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var ok bool
		if err := r.admin.QueryRow(q).Scan(&ok); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("replica: %s still false after 30 s", q)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
