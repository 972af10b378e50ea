package ledger

import (
	"context"
	"errors"
	"time"
)

// Errors every Store returns, so the use cases can tell a lost race from a
// missing record without knowing the database.
var (
	// ErrDuplicate means a unique key (an _id or the entries' transferLeg)
	// is taken: another writer won the race, or this write was done before.
	ErrDuplicate = errors.New("duplicate key")
	// ErrNotFound means no record has the key.
	ErrNotFound = errors.New("not found")
)

// AccountRecord is an account as stored, with the hint that shortens the
// search for its journal head.
type AccountRecord struct {
	Account
	HeadHint int64
}

// AccountFilter selects accounts for reports. Empty fields match all.
type AccountFilter struct {
	Region string // the region's subtree
	Kind   Kind
	Type   HolderType
	Unit   string
	Level  Level
	IDs    []AccountID
	// Department selects the units a department supervises.
	Department string
}

// Store is what the ledger needs from a database. Every method that
// creates a record is an insert guarded by a unique key; nothing relies on
// a conditional update being atomic, because on the embedded store it is not.
type Store interface {
	InsertAccount(ctx context.Context, a Account) error
	Account(ctx context.Context, id AccountID) (AccountRecord, error)
	Accounts(ctx context.Context, f AccountFilter) ([]AccountRecord, error)
	SetAbolished(ctx context.Context, id AccountID, abolished bool) error
	SetHeadHint(ctx context.Context, id AccountID, seq int64) error

	// Entry returns the entry with the given sequence number of an account.
	Entry(ctx context.Context, account AccountID, seq int64) (Entry, error)
	// AppendEntry inserts e; ErrDuplicate if its _id or its transferLeg exists.
	AppendEntry(ctx context.Context, e Entry) error
	EntryByTransferLeg(ctx context.Context, transferLeg string) (Entry, error)
	// Entries returns an account's journal in sequence order.
	Entries(ctx context.Context, account AccountID) ([]Entry, error)
	// AllEntries returns every entry, for the checker and reports.
	AllEntries(ctx context.Context) ([]Entry, error)

	InsertTransfer(ctx context.Context, t Transfer) error
	Transfer(ctx context.Context, id string) (Transfer, error)
	SetTransferState(ctx context.Context, id string, s TransferState, failure *Error) error
	PendingTransfers(ctx context.Context, before time.Time) ([]Transfer, error)
	// AllTransfers reads every transfer record (for the checker).
	AllTransfers(ctx context.Context) ([]Transfer, error)

	// InsertIncumbents inserts people; dup lists the indexes refused because
	// the ID number is taken.
	// ClaimHires inserts one claim per hire request (keyed by the tenure
	// the request starts) in one unordered bulk insert; dup lists the
	// indexes already claimed: retries of earlier requests.
	ClaimHires(ctx context.Context, claims []HireClaim) (dup []int, err error)
	InsertIncumbents(ctx context.Context, people []IncumbentRecord) (dup []int, err error)
	Incumbent(ctx context.Context, idNumber string) (IncumbentRecord, error)
	// UpdateIncumbent replaces a person's record if it is still the same
	// tenure (r.RequestID); it reports whether it did.
	UpdateIncumbent(ctx context.Context, r IncumbentRecord) (bool, error)
	// DeletePending removes the people a hire batch inserted that are
	// still pending under that batch (never a later hire of the same person).
	DeletePending(ctx context.Context, batchID string, idNumbers []string) error
	Incumbents(ctx context.Context, unit string) ([]IncumbentRecord, error)
	// ArchiveIncumbent moves an exited person's record to the history,
	// keyed <idNumber>#<exit transfer>, freeing the ID number for a later
	// hire; ArchivedIncumbent reads it back.
	ArchiveIncumbent(ctx context.Context, r IncumbentRecord) error
	ArchivedIncumbent(ctx context.Context, idNumber, transferID string) (IncumbentRecord, error)
	// AllIncumbents returns every live person with their account, state
	// and hire (for the checker: one read of the collection).
	AllIncumbents(ctx context.Context) ([]IncumbentRecord, error)

	// InsertTenureOp appends op to its tenure; ErrDuplicate if op.Seq is
	// taken (the compare-and-swap of a tenure, see TenureOp).
	InsertTenureOp(ctx context.Context, op TenureOp) error
	TenureOp(ctx context.Context, tenure string, seq int64) (TenureOp, error)
	// OpenTenureOps lists ops not yet done recorded before a time (recovery).
	OpenTenureOps(ctx context.Context, before time.Time) ([]TenureOp, error)
	SetTenureOpDone(ctx context.Context, id string) error
	// InsertExitRequest binds an exit request to its tenure; ErrDuplicate
	// if the request was made before. ExitRequest reads it back.
	InsertExitRequest(ctx context.Context, r ExitRequestRecord) error
	ExitRequest(ctx context.Context, id string) (ExitRequestRecord, error)

	// InsertMoveSnapshot records the people a merger moves before any post
	// moves; ErrDuplicate if its ID exists (a retry). MoveSnapshot reads it.
	InsertMoveSnapshot(ctx context.Context, s MoveSnapshot) error
	MoveSnapshot(ctx context.Context, id string) (MoveSnapshot, error)
	// OpenMoveSnapshots lists mergers not yet done recorded before a time
	// (recovery finishes them); SetMoveSnapshotDone marks one done.
	OpenMoveSnapshots(ctx context.Context, before time.Time) ([]MoveSnapshot, error)
	SetMoveSnapshotDone(ctx context.Context, id string) error

	// InsertBatch records a hire batch as open before its people are
	// inserted; CommitBatch marks it applied with the people its journal
	// entry names; AbortBatch marks it undone. OpenBatches lists batches
	// left open before a time, for recovery.
	InsertBatch(ctx context.Context, b HireBatch) error
	Batch(ctx context.Context, id string) (HireBatch, error)
	CommitBatch(ctx context.Context, id string, people []string) error
	AbortBatch(ctx context.Context, id string) error
	OpenBatches(ctx context.Context, before time.Time) ([]HireBatch, error)
	// AllBatches returns every hire batch (for the checker).
	AllBatches(ctx context.Context) ([]HireBatch, error)

	InsertHold(ctx context.Context, h Hold) error
	Hold(ctx context.Context, id string) (Hold, error)
	UpdateHold(ctx context.Context, h Hold) error
	// OpenHolds lists holds not closed (pending or open).
	OpenHolds(ctx context.Context) ([]Hold, error)
	// AllHolds and AllSlots read every hold and slot (for the checker).
	AllHolds(ctx context.Context) ([]Hold, error)
	AllSlots(ctx context.Context) ([]Slot, error)
	// ClaimSlots inserts the slot records and returns the IDs it inserted;
	// the others were taken.
	ClaimSlots(ctx context.Context, slots []Slot) (claimed []string, err error)
	Slots(ctx context.Context, holdID string, amount int64) ([]Slot, error)

	InsertPlan(ctx context.Context, p UsagePlan) error
	Plan(ctx context.Context, id string) (UsagePlan, error)
	UpdatePlan(ctx context.Context, p UsagePlan) error

	InsertCase(ctx context.Context, c Case) error
	Case(ctx context.Context, id string) (Case, error)
	UpdateCase(ctx context.Context, c Case) error
	// OpenCases lists the open cases (recovery puts their blocks back).
	OpenCases(ctx context.Context) ([]Case, error)
	// Block and Unblock maintain the open cases by subject.
	Block(ctx context.Context, subject, caseID string) error
	Unblock(ctx context.Context, subject, caseID string) error
	Blocks(ctx context.Context, subjects ...string) (Blocks, error)
	// AllBlocks returns every subject's open case IDs (recovery: a small
	// collection, one document per blocked subject).
	AllBlocks(ctx context.Context) (Blocks, error)

	// ClaimRequest records that a request under a caller's Idempotency-Key
	// has begun (an insert keyed by rec.ID); an error wrapping ErrDuplicate
	// if the key was claimed before. Request reads the claim back with the
	// answer saved for it, if any (Status 0: none yet). SaveResponse keeps
	// the final answer of the request; the first answer saved wins, a later
	// one is dropped, so every replay gives the same bytes.
	ClaimRequest(ctx context.Context, rec RequestRecord) error
	Request(ctx context.Context, id string) (RequestRecord, error)
	SaveResponse(ctx context.Context, id string, status int, contentType string, body []byte) error
}

// RequestRecord is one claimed Idempotency-Key: ID derives from the caller
// and the key, Fingerprint from the route, its path parameters and the body,
// so a reused key is told from a retry. Status, ContentType and Body are the
// answer to replay, once one is final.
type RequestRecord struct {
	ID          string
	Fingerprint string
	Route       string
	CreatedAt   time.Time
	Status      int
	ContentType string
	Body        []byte
}

// IncumbentRecord is a stored incumbent with the idempotency data of the
// request that created it: a retry of that request is recognised by its
// scoped key, another request for the same person is a duplicate.
type IncumbentRecord struct {
	Incumbent
	RequestID   string // scoped Idempotency-Key of the hire
	Fingerprint string
	Result      string // "" while pending; "hired" or a refusal code
	// OpSeq is the number of the tenure's last op this record reflects
	// (0: none since the hire): where an exit or a merger starts probing.
	OpSeq int64
}

// HireClaim records that a hire request began: insert-only, keyed by the
// tenure the request starts, so a request is told from its retry without a
// read (a read that misses scans the embedded store), and a retry after
// the tenure ended answers the first outcome instead of hiring again.
type HireClaim struct {
	ID       string // the tenure: IncumbentRecord.Tenure()
	IDNumber string
	Account  AccountID
	At       time.Time
}

// Tenure returns the ID of the tenure the record is of: derived from the
// hire's scoped request ID and the person, so that two people hired under
// one key (a misused key) still have tenures of their own.
func (r IncumbentRecord) Tenure() string { return ScopedID("tn", r.RequestID, r.IDNumber) }

// Slot is one consumed or voided post of a hold. Work that uses posts of a
// hold (a hire, a loan, a void) claims slots for one transfer (Ref) and
// lists in each claimed slot every slot it meant to claim (Group): whoever
// finishes the work after a crash claims the group's missing slots itself
// (as voids, see FenceRef), so the number of slots the transfer uses is
// fixed before anyone applies it, whichever process does.
type Slot struct {
	ID    string // <holdID>#<n>
	Hold  string
	Use   string // "hire", "loan" or "void"
	Ref   string // the transfer that applies it
	To    AccountID
	Group []string
	At    time.Time
}

// FenceRef returns the Ref of the slots a finisher claims out of work ref's
// group so that the work can no longer claim them.
func FenceRef(ref string) string { return "fence-" + ref }

// BatchState is where a hire batch is.
type BatchState string

// The batch states.
const (
	BatchOpen      BatchState = "open"
	BatchCommitted BatchState = "committed"
	BatchAborted   BatchState = "aborted"
)

// HireBatch records one group-committed set of hires. People are inserted
// pending with the batch's ID and never updated on the hot path (on the
// embedded store an update costs as much as an insert per document, an
// insert of many documents about as much as one): a pending person whose
// batch is committed and names them is active.
type HireBatch struct {
	ID        string
	Account   AccountID
	State     BatchState
	People    []string // the people the journal entry named, once committed
	CreatedAt time.Time
}

// Holds reports whether the committed batch put the person on a post.
func (b HireBatch) Holds(idNumber string) bool {
	if b.State != BatchCommitted {
		return false
	}
	for _, p := range b.People {
		if p == idNumber {
			return true
		}
	}
	return false
}

// MovePerson is one person a merger moves: the ID number, the kind of
// their post and their tenure (the scoped request ID of the hire that put
// them on it), so that a later rehire of the same person is not taken for
// the tenure the merger listed.
type MovePerson struct {
	IDNumber string
	Kind     Kind
	Tenure   string
}

// MoveSnapshot is the exact set of people a merger moves, recorded
// (insert-only, keyed <move ID>#people) before any post moves: every
// attempt of the merger moves these people and the transfer of each kind
// moves as many posts as it lists of that kind.
type MoveSnapshot struct {
	ID          string
	From, To    string
	Fingerprint string
	People      []MovePerson
	// Caller and Key are the request's: every transfer of the merger is
	// keyed by them, so recovery can finish a merger nobody retries.
	Caller, Key string
	DocNo       string
	Actor       string
	Done        bool
	CreatedAt   time.Time
}
