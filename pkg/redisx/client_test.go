package redisx

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"
)

func TestNewReportsUnreachableButReturnsClient(t *testing.T) {
	t.Parallel()
	// A port nobody listens on: take one from the kernel and give it back.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	client, err := New(ctx, Options{Addr: addr})
	if !errors.Is(err, ErrUnreachable) {
		t.Fatalf("err = %v, want ErrUnreachable", err)
	}
	if client == nil {
		t.Fatal("client is nil; a degraded start needs it")
	}
	defer client.Close()

	c, reg := newTestCache(t, client, time.Minute)
	got, err := GetOrLoad(ctx, c, "k", func(context.Context) (string, error) { return "from store", nil })
	if err != nil || got != "from store" {
		t.Fatalf("GetOrLoad = %q, %v; want the store's answer", got, err)
	}
	if e := counterValue(t, reg, c.Name(), "error"); e != 1 {
		t.Errorf("errors = %v, want 1", e)
	}
}

func TestNewRejectsEmptyAddr(t *testing.T) {
	t.Parallel()
	if c, err := New(context.Background(), Options{}); err == nil || c != nil {
		t.Fatalf("New(empty) = %v, %v; want nil client and an error", c, err)
	}
}
