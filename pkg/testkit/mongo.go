// Package testkit gives tests real parts: an embedded FerretDB reached through the real mongo driver,
// a Redis (the real one when REDIS_ADDR answers, else an in-process miniredis), signed test tokens,
// and a way to run any service in-process on port 0. Only test code and the local stack import it.
package testkit

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/bianzhi/bianzhi/pkg/mongox"
)

// FerretDB is an embedded FerretDB with its SQLite data in a folder.
type FerretDB struct {
	URI    string
	cancel context.CancelFunc
	done   chan struct{}
}

// StartFerretDB runs an embedded FerretDB on a loopback port with its data in dir. The local stack
// uses it with a persistent folder; tests use a temporary one.
func StartFerretDB(dir string, log *slog.Logger) (*FerretDB, error) {
	return StartFerretDBAt(dir, "127.0.0.1:0", log)
}

// StartFerretDBAt is StartFerretDB on a chosen address (e.g. 127.0.0.1:27017 for service binaries
// run by hand against the local stores).
func StartFerretDBAt(dir, addr string, log *slog.Logger) (*FerretDB, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: addr},
		Handler:   "sqlite",
		SQLiteURL: "file:" + filepath.ToSlash(dir) + "/",
		Logger:    log,
	})
	if err != nil {
		return nil, fmt.Errorf("start ferretdb: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = f.Run(ctx) }()
	return &FerretDB{URI: f.MongoDBURI(), cancel: cancel, done: done}, nil
}

// Stop stops the server and waits for it to close its files.
func (f *FerretDB) Stop() {
	f.cancel()
	select {
	case <-f.done:
	case <-time.After(10 * time.Second):
	}
}

var (
	sharedOnce sync.Once
	shared     *FerretDB
	sharedErr  error
	dbSeq      int
	dbMu       sync.Mutex
)

// MongoURI returns the URI of one embedded FerretDB shared by every test of the process. Its folder
// lives under the OS temp dir and is removed by later runs once stale.
func MongoURI(tb testing.TB) string {
	tb.Helper()
	sharedOnce.Do(func() {
		base := filepath.Join(os.TempDir(), "bianzhi-testkit")
		removeStale(base)
		dir, err := os.MkdirTemp(base+"-", "")
		if err != nil {
			_ = os.MkdirAll(base, 0o755)
			dir, err = os.MkdirTemp(base, "ferretdb-")
		}
		if err != nil {
			sharedErr = err
			return
		}
		shared, sharedErr = StartFerretDB(dir, nil)
	})
	if sharedErr != nil {
		tb.Fatalf("embedded FerretDB: %v", sharedErr)
	}
	return shared.URI
}

func removeStale(base string) {
	entries, _ := filepath.Glob(base + "-*")
	more, _ := filepath.Glob(filepath.Join(base, "ferretdb-*"))
	for _, e := range append(entries, more...) {
		if st, err := os.Stat(e); err == nil && time.Since(st.ModTime()) > 2*time.Hour {
			_ = os.RemoveAll(e)
		}
	}
}

// runTag distinguishes this test process's names from those of earlier runs.
var runTag = strconv.FormatInt(time.Now().UnixNano()%(36*36*36*36*36*36), 36)

// DatabaseName returns a database name no other test of the process, or of an earlier run, uses.
func DatabaseName(tb testing.TB) string {
	dbMu.Lock()
	dbSeq++
	n := dbSeq
	dbMu.Unlock()
	// Mongo database names refuse many characters; keep letters, digits and underscores only.
	name := strings.Map(func(r rune) rune {
		if r < 128 && (r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return r
		}
		return '_'
	}, tb.Name())
	if len(name) > 36 {
		name = name[:36]
	}
	// The run's own tag keeps names unique across runs too: Redis keys derived from a database name
	// (session versions, login counters) outlive the run on a Redis that persists between runs.
	return fmt.Sprintf("t%d_%s_%s", n, runTag, name)
}

// Mongo returns a fresh database on the shared embedded FerretDB, dropped when the test ends.
func Mongo(tb testing.TB) *mongo.Database {
	tb.Helper()
	uri := MongoURI(tb)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cl, err := mongox.Connect(ctx, uri, nil)
	if err != nil {
		tb.Fatalf("connect FerretDB: %v", err)
	}
	db := cl.Database(DatabaseName(tb))
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = db.Drop(ctx)
		_ = cl.Disconnect(ctx)
	})
	return db
}
