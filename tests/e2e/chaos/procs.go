package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// binaries are the programs the tool builds: the three services it runs and the stores.
var binaries = map[string]string{
	"quota":         "./services/quota/cmd/quota",
	"units":         "./services/units/cmd/units",
	"gateway":       "./services/gateway/cmd/gateway",
	"bianzhi-local": "./deploy/local/cmd/bianzhi-local",
}

// repoRoot is the folder of the go.work the tool runs under.
func repoRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOWORK").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOWORK: %w", err)
	}
	w := strings.TrimSpace(string(out))
	if w == "" || w == "off" {
		return "", errors.New("run inside the repository (no go.work found)")
	}
	return filepath.Dir(w), nil
}

// build compiles every binary into dir with one go build (the normal build cache applies).
func build(ctx context.Context, root, dir string) error {
	args := []string{"build", "-o", dir + string(os.PathSeparator)}
	for _, pkg := range []string{"quota", "units", "gateway", "bianzhi-local"} {
		args = append(args, binaries[pkg])
	}
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = root
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	return cmd.Run()
}

// freePort reserves a free loopback port and releases it for a process to take.
func freePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// proc is one OS process the tool started and may kill and restart with the same command.
type proc struct {
	name   string
	bin    string
	args   []string
	env    []string
	log    string // stdout and stderr, appended across restarts
	health string // URL answering 200 when up; empty: none

	mu     sync.Mutex
	cmd    *exec.Cmd
	done   chan struct{}
	starts int
}

// start runs the process in its own process group, so a kill reaches everything it spawned.
func (p *proc) start() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	f, err := os.OpenFile(p.log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	p.starts++
	fmt.Fprintf(f, "\n===== chaos: start #%d of %s at %s =====\n", p.starts, p.name, time.Now().Format(time.RFC3339Nano))
	cmd := exec.Command(p.bin, p.args...)
	cmd.Env = p.env
	cmd.Stdout, cmd.Stderr = f, f
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		_ = f.Close()
		return fmt.Errorf("start %s: %w", p.name, err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); _ = f.Close(); close(done) }()
	p.cmd, p.done = cmd, done
	return nil
}

// signal sends sig to the process's group and waits up to wait for it to end.
func (p *proc) signal(sig syscall.Signal, wait time.Duration) bool {
	p.mu.Lock()
	cmd, done := p.cmd, p.done
	p.mu.Unlock()
	if cmd == nil || cmd.Process == nil {
		return true
	}
	select {
	case <-done:
		return true
	default:
	}
	_ = syscall.Kill(-cmd.Process.Pid, sig)
	select {
	case <-done:
		return true
	case <-time.After(wait):
		return false
	}
}

// kill ends the process at once (SIGKILL to its group), as a node failure or OOM kill would.
func (p *proc) kill() error {
	if !p.signal(syscall.SIGKILL, 10*time.Second) {
		return fmt.Errorf("%s did not die within 10s of SIGKILL", p.name)
	}
	return nil
}

// stop asks the process to shut down (SIGTERM), then kills it if it lingers.
func (p *proc) stop() {
	if !p.signal(syscall.SIGTERM, 6*time.Second) {
		p.signal(syscall.SIGKILL, 5*time.Second)
	}
}

// alive reports whether the process is running.
func (p *proc) alive() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.done == nil {
		return false
	}
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

var probe = &http.Client{Timeout: 2 * time.Second}

// waitHealthy polls the process's health URL until it answers 200.
func (p *proc) waitHealthy(ctx context.Context, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if err := ctx.Err(); err != nil {
			return err
		}
		if !p.alive() {
			return fmt.Errorf("%s exited during start (see %s)", p.name, p.log)
		}
		if p.health == "" {
			return nil
		}
		if resp, err := probe.Get(p.health); err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("%s: %s did not answer 200 within %s (see %s)", p.name, p.health, limit, p.log)
}

// waitTCP waits until addr accepts connections (the stores have no HTTP health URL).
func waitTCP(ctx context.Context, addr string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if err := ctx.Err(); err != nil {
			return err
		}
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			_ = c.Close()
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("%s did not accept connections within %s", addr, limit)
}
