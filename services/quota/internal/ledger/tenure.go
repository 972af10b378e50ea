package ledger

import (
	"fmt"
	"time"
)

// A tenure is one person's time on posts, from the hire that started it to
// the exit that ends it; its ID is the hire's scoped request ID. The person
// record (incumbents, _id = ID number) is a projection for reading: it is
// replaced and deleted by separate writes, which the embedded store does not
// make atomic. What a tenure's post does after the hire is therefore decided
// by insert-only records, numbered like journal entries:
//
//	<tenure>#<seq>   seq = 1, 2, ...: a move with the post (a merger) or the exit
//
// Appending op n+1 is the compare-and-swap of the tenure: of two writers
// (two exits under different keys, an exit and a merger) that validated
// against op n, exactly one inserts n+1; the other re-reads and validates
// again. An exit is the last op of a tenure, so a tenure is released once.

// TenureOpKind says what a tenure op does.
type TenureOpKind string

// The tenure op kinds.
const (
	OpMove TenureOpKind = "move" // the person moves with their post (合并，人随编走)
	OpExit TenureOpKind = "exit" // the person leaves their post (减员)
)

// TenureOp is one change to a tenure after its hire.
type TenureOp struct {
	ID         string // <tenure>#<seq>
	Tenure     string
	Seq        int64
	IDNumber   string
	Kind       TenureOpKind
	From       AccountID // the account the post was on before this op
	To         AccountID // a move's new account
	Unit       string    // a move's new unit
	TransferID string    // the transfer that moves or releases the post
	Ref        string    // what asked for it: the exit request or the merger
	ExitReason ExitReason
	ExitDate   time.Time
	DocNo      string
	Actor      string
	// Done is set once the op's transfer is settled and the person record
	// follows it; recovery finishes every op left undone.
	Done bool
	At   time.Time
}

// TenureOpID returns the ID of a tenure's op number seq.
func TenureOpID(tenure string, seq int64) string { return fmt.Sprintf("%s#%04d", tenure, seq) }

// Account returns where the tenure's post is after op: the new account of
// a move, none after an exit.
func (op TenureOp) Account() AccountID {
	if op.Kind == OpMove {
		return op.To
	}
	return ""
}

// ExitTransferID returns the ID of the transfer that releases a tenure's
// post: derived from the tenure, so two exits of one tenure, whatever their
// keys, can only ever release one post.
func ExitTransferID(tenure string) string { return "x-" + tenure }

// ExitRequestRecord binds an exit request (a caller's Idempotency-Key) to
// the tenure it ended, inserted before anything else happens: a retry of
// the same request, even after the person was hired again, acts on that
// tenure and never on a later one.
type ExitRequestRecord struct {
	ID          string // ScopedID("x", caller, key)
	IDNumber    string
	Tenure      string
	Fingerprint string
	At          time.Time
}

// AlreadyExited is the refusal for an exit of a tenure another request ended.
func AlreadyExited() *Error {
	return &Error{Code: CodeConflict, Field: "idNumber", Message: "该人员已办理减员，不能重复办理",
		Detail: "this tenure was already ended by another exit request"}
}

// BeingMoved is the answer to an exit that meets a merger moving the person
// whose posts have not moved yet: the exit must wait for the merger.
func BeingMoved() *Error {
	return &Error{Code: CodeConflict, Field: "idNumber", Message: "该人员所在单位正在办理合并，请稍后重试",
		Detail: "a merger is moving this person and has not moved their post yet; retry later", RetryLater: true}
}
