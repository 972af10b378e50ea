package ledger

import (
	"fmt"
	"time"
	"unicode/utf8"
)

// TransferKind says why quota moved. Reports group flows by kind.
type TransferKind string

// The transfer kinds.
const (
	TransferApprove       TransferKind = "approve"        // control total → unit (核定)
	TransferAdjustControl TransferKind = "adjust_control" // level above ↔ control total (调整控制数)
	TransferMoveUnit      TransferKind = "move_unit"      // unit → unit in one region (调剂)
	TransferMoveLevel     TransferKind = "move_level"     // between levels: county→township, city→street, city→county (下沉)
	TransferRecover       TransferKind = "recover"        // unit → recovered pool (收回)
	TransferReallocate    TransferKind = "reallocate"     // recovered pool → unit or control total (再分配)
	TransferLend          TransferKind = "lend"           // talent pool → unit (周转池借出)
	TransferReturn        TransferKind = "return"         // unit → talent pool (归还)
	TransferHire          TransferKind = "hire"           // vacant → occupied (进人)
	TransferRelease       TransferKind = "release"        // occupied → vacant (出人)
	TransferHold          TransferKind = "hold"           // vacant → held (预留)
	TransferPost          TransferKind = "post"           // held → occupied, or held → loan
	TransferVoid          TransferKind = "void"           // held → vacant (作废)
)

var transferLabels = map[TransferKind]string{
	TransferApprove: "核定编制", TransferAdjustControl: "调整控制数", TransferMoveUnit: "单位间调剂",
	TransferMoveLevel: "跨层级划转", TransferRecover: "收回编制", TransferReallocate: "收回编制再分配",
	TransferLend: "周转池借出", TransferReturn: "周转池归还", TransferHire: "进人占编",
	TransferRelease: "减员释放", TransferHold: "预留编制", TransferPost: "预留转实", TransferVoid: "预留作废",
}

// Valid reports whether k is a known transfer kind.
func (k TransferKind) Valid() bool { _, ok := transferLabels[k]; return ok }

// Label returns the Simplified-Chinese name of k.
func (k TransferKind) Label() string { return transferLabels[k] }

// movesApproved reports whether k moves approved posts between two accounts
// (rather than changing the use of posts inside one account).
func (k TransferKind) movesApproved() bool {
	switch k {
	case TransferApprove, TransferAdjustControl, TransferMoveUnit, TransferMoveLevel,
		TransferRecover, TransferReallocate, TransferLend, TransferReturn:
		return true
	}
	return false
}

// TransferState is a transfer's place in its life: it is inserted pending
// (which claims its ID), then posted once all legs are applied, or rejected
// if its one refusable leg was refused.
type TransferState string

// The transfer states.
const (
	StatePending  TransferState = "pending"
	StatePosted   TransferState = "posted"
	StateRejected TransferState = "rejected"
)

// Leg is one account's side of a transfer.
type Leg struct {
	Account AccountID `json:"account"`
	Delta   Delta     `json:"delta"`
}

// MaxAmount bounds a single transfer: no region has a million posts, so a
// larger number is a typing error, not a request.
const MaxAmount = 1_000_000

// Transfer is one change to the ledger: its legs sum to zero approved posts.
type Transfer struct {
	ID          string
	Kind        TransferKind
	Legs        []Leg
	Reason      string
	DocNo       string // approval document number (批文号)
	Actor       string
	Fingerprint string // hash of the request, to tell a retry from a reused key
	State       TransferState
	Failure     *Error // why it was rejected
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// MoveRequest asks to move approved posts from one account to another.
type MoveRequest struct {
	Kind   TransferKind
	From   AccountID
	To     AccountID
	Amount int64
	Reason string
	DocNo  string
	Actor  string
}

// PlanMove validates a move of approved posts between two accounts and
// returns its legs, the refusable debit first. from and to are the
// accounts' metadata as stored.
func PlanMove(r MoveRequest, from, to Account) ([]Leg, error) {
	if !r.Kind.movesApproved() {
		return nil, Invalid("kind", "该类型不是编制划转："+string(r.Kind), "kind "+string(r.Kind)+" does not move approved posts")
	}
	if err := checkAmount(r.Amount); err != nil {
		return nil, err
	}
	if err := checkText(r.Reason, r.DocNo, needsDoc(r.Kind)); err != nil {
		return nil, err
	}
	if from.ID == to.ID {
		return nil, Invalid("to", "转出与转入账户不能相同", "a transfer cannot go to its own source account")
	}
	if from.Kind != to.Kind {
		return nil, Invalid("to", "编制类型不同的账户之间不能划转", fmt.Sprintf("kinds differ: %s vs %s", from.Kind, to.Kind))
	}
	if to.Abolished {
		return nil, &Error{Code: CodeAccountAbolished, Field: "to", Message: "转入单位已撤销", Detail: "account " + string(to.ID) + " belongs to an abolished holder"}
	}
	if err := checkRoute(r.Kind, from, to); err != nil {
		return nil, err
	}
	return []Leg{
		{Account: from.ID, Delta: Delta{Approved: -r.Amount}},
		{Account: to.ID, Delta: Delta{Approved: r.Amount}},
	}, nil
}

// checkRoute enforces which holders each kind may move quota between. The
// rules keep zero growth: only adjust_control touches the level above, and
// only the kinds that exist to cross regions (moves between levels, the
// recovered and talent pools) may change a region's total.
func checkRoute(k TransferKind, from, to Account) error {
	bad := func(msg string) error {
		return Invalid("to", msg, fmt.Sprintf("%s cannot go from %s to %s", k, from.Type, to.Type))
	}
	switch k {
	case TransferApprove:
		if from.Type != HolderControl || to.Type != HolderUnit {
			return bad("核定编制只能从区划控制数划入单位")
		}
		if from.Region != to.Region {
			return bad("核定编制只能在同一区划内进行，跨区划请使用跨层级划转")
		}
	case TransferAdjustControl:
		up := from.Type == HolderExternal && to.Type == HolderControl
		down := from.Type == HolderControl && to.Type == HolderExternal
		if !up && !down {
			return bad("调整控制数只能在上级与区划控制数之间进行")
		}
	case TransferMoveUnit:
		if from.Type != HolderUnit || to.Type != HolderUnit {
			return bad("单位间调剂只能在两个单位之间进行")
		}
		if from.Region != to.Region {
			return bad("单位间调剂只能在同一区划内进行，跨区划请使用跨层级划转")
		}
	case TransferMoveLevel:
		okType := func(a Account) bool { return a.Type == HolderControl || a.Type == HolderUnit }
		if !okType(from) || !okType(to) {
			return bad("跨层级划转只能在区划控制数或单位之间进行")
		}
		if from.Level == to.Level || !(InRegion(from.Region, to.Region) || InRegion(to.Region, from.Region)) {
			return bad("跨层级划转只能在上下级区划之间进行")
		}
	case TransferRecover:
		if from.Type != HolderUnit || to.Type != HolderRecovered || !InRegion(to.Region, from.Region) {
			return bad("收回编制只能从单位划入其所在区划的收回编制池")
		}
	case TransferReallocate:
		if from.Type != HolderRecovered || (to.Type != HolderUnit && to.Type != HolderControl) || !InRegion(from.Region, to.Region) {
			return bad("收回编制只能再分配给本区划内的单位或控制数")
		}
	case TransferLend:
		if from.Type != HolderTalent || to.Type != HolderUnit {
			return bad("周转池只能借给单位")
		}
	case TransferReturn:
		if from.Type != HolderUnit || to.Type != HolderTalent {
			return bad("只能由单位归还周转池")
		}
	}
	return nil
}

func needsDoc(k TransferKind) bool {
	switch k {
	case TransferApprove, TransferAdjustControl, TransferMoveUnit, TransferMoveLevel, TransferRecover, TransferReallocate:
		return true
	}
	return false
}

func checkAmount(n int64) error {
	if n <= 0 {
		return Invalid("amount", "数量必须为正整数", "amount must be positive")
	}
	if n > MaxAmount {
		return Invalid("amount", "数量过大", fmt.Sprintf("amount must be at most %d", MaxAmount))
	}
	return nil
}

func checkText(reason, docNo string, docRequired bool) error {
	if docRequired && docNo == "" {
		return Invalid("docNo", "必须填写批文号", "an approval document number is required")
	}
	if utf8.RuneCountInString(docNo) > 100 {
		return Invalid("docNo", "批文号过长", "docNo longer than 100 characters")
	}
	if utf8.RuneCountInString(reason) > 1000 {
		return Invalid("reason", "事由过长", "reason longer than 1000 characters")
	}
	return nil
}

// CheckLegs verifies the shape every stored transfer must have: at least one
// leg, no empty or repeated leg, approved posts summing to zero (quota is
// never created or destroyed, only moved), and at most one refusable leg,
// placed first, so that recovery can always finish a transfer whose first
// leg was applied.
func CheckLegs(legs []Leg) error {
	if len(legs) == 0 {
		return Invalid("legs", "划转至少包含一个分录", "a transfer needs at least one leg")
	}
	var sum int64
	seen := map[AccountID]bool{}
	for i, l := range legs {
		if l.Delta.Zero() {
			return Invalid("legs", "分录金额不能为零", fmt.Sprintf("leg %d changes nothing", i))
		}
		if seen[l.Account] {
			return Invalid("legs", "同一账户不能出现两次", fmt.Sprintf("account %s appears twice", l.Account))
		}
		seen[l.Account] = true
		if i > 0 && l.Delta.Refusable() {
			return Invalid("legs", "只有第一个分录可以被拒绝", fmt.Sprintf("leg %d is refusable but not first", i))
		}
		sum += l.Delta.Approved
	}
	if sum != 0 {
		return Invalid("legs", "划转分录核定数之和必须为零", fmt.Sprintf("approved deltas sum to %d, not 0", sum))
	}
	return nil
}
