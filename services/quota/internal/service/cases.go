package service

import (
	"context"
	"errors"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

// OpenCase opens a discipline case: the block comes first, so that from
// the moment the case exists the subject's requests are refused; a retry
// with the same key returns the same case.
func (l *Ledger) OpenCase(ctx context.Context, caller, key string, r ledger.CaseRequest, actor string) (ledger.Case, error) {
	if err := ledger.ValidIdempotencyKey(key); err != nil {
		return ledger.Case{}, err
	}
	c, err := ledger.NewCase(ledger.ScopedID("c", caller, key), r, actor, l.now())
	if err != nil {
		return c, err
	}
	if err := l.store.Block(ctx, c.Subject, c.ID); err != nil {
		return c, err
	}
	if err := l.store.InsertCase(ctx, c); errors.Is(err, ledger.ErrDuplicate) {
		return l.Case(ctx, c.ID)
	} else if err != nil {
		return c, err
	}
	return c, nil
}

// Case reads a case.
func (l *Ledger) Case(ctx context.Context, id string) (ledger.Case, error) {
	c, err := l.store.Case(ctx, id)
	if errors.Is(err, ledger.ErrNotFound) {
		return c, ledger.NotFound("case", id)
	}
	return c, err
}

// CloseCase records completed rectification and lifts the block
// (整改完成后恢复受理).
func (l *Ledger) CloseCase(ctx context.Context, id, rectification string) (ledger.Case, error) {
	c, err := l.Case(ctx, id)
	if err != nil {
		return c, err
	}
	if rectification == "" {
		return c, ledger.Invalid("rectification", "请填写整改情况", "rectification is required")
	}
	if c.State != ledger.CaseClosed {
		c.State, c.Rectification, c.ClosedAt = ledger.CaseClosed, rectification, l.now().UTC()
		if err := l.store.UpdateCase(ctx, c); err != nil {
			return c, err
		}
	}
	return c, l.store.Unblock(ctx, c.Subject, c.ID)
}

// Blocked reports the open cases that block a unit (directly or through
// its supervising department).
func (l *Ledger) Blocked(ctx context.Context, unit, department string) ([]string, error) {
	b, err := l.store.Blocks(ctx, unit, department)
	if err != nil {
		return nil, err
	}
	return append(b[unit], b[department]...), nil
}
