package main

import (
	"context"

	"github.com/bianzhi/bianzhi/deploy/local/stack"
)

// loadDemo loads the Taiyuan demo dataset on the first start (a marker in the data folder records it).
func loadDemo(ctx context.Context, s *stack.Stack, data string) error {
	return nil
}
