package ledger

// Balance is an account's state: approved posts (核定), posts held for a
// pending recruitment (预留) and posts occupied by named people (实有).
// Vacant posts (空编) are derived, never stored, so they cannot drift.
type Balance struct {
	Approved int64 `json:"approved"`
	Held     int64 `json:"held"`
	Occupied int64 `json:"occupied"`
}

// Delta is a change to a balance; a journal entry records one.
type Delta struct {
	Approved int64 `json:"approved"`
	Held     int64 `json:"held"`
	Occupied int64 `json:"occupied"`
}

// Vacant returns approved minus held minus occupied: the posts a unit may
// still hold or fill.
func (b Balance) Vacant() int64 { return b.Approved - b.Held - b.Occupied }

// Add returns b with d applied, without validating the result.
func (b Balance) Add(d Delta) Balance {
	return Balance{Approved: b.Approved + d.Approved, Held: b.Held + d.Held, Occupied: b.Occupied + d.Occupied}
}

// Zero reports whether d changes nothing.
func (d Delta) Zero() bool { return d == Delta{} }

// Neg returns the opposite of d, the delta that undoes it.
func (d Delta) Neg() Delta { return Delta{Approved: -d.Approved, Held: -d.Held, Occupied: -d.Occupied} }

// Refusable reports whether applying d can ever be refused: it lowers a
// component (which may go below zero) or uses more posts than it adds
// (which may cross the red line). Moving a person in with their post
// ({approved +1, occupied +1}) or approving posts can always be applied.
// Transfers apply refusable legs first so that a refusal leaves nothing applied.
func (d Delta) Refusable() bool {
	return d.Approved < 0 || d.Held < 0 || d.Occupied < 0 || d.Held+d.Occupied > d.Approved
}

// Apply returns b with d applied, or the red-line refusal if the result
// would have negative held or occupied posts, or fewer approved posts than
// held plus occupied. External accounts (the higher levels' source of
// control totals) may go negative: they are the world outside the ledger.
func (b Balance) Apply(account AccountID, d Delta) (Balance, error) {
	n := b.Add(d)
	if account.Type() == HolderExternal {
		if d.Held != 0 || d.Occupied != 0 {
			return b, Invalid("legs", "外部账户不能预留或占用编制", "external account "+string(account)+" cannot hold or occupy posts")
		}
		return n, nil
	}
	if n.Held < 0 || n.Occupied < 0 || n.Vacant() < 0 || n.Approved < 0 {
		need := d.Held + d.Occupied - d.Approved
		if need < 1 {
			need = 1
		}
		if n.Held < 0 || n.Occupied < 0 {
			return b, &Error{Code: CodeConflict, Message: "预留或实有人数不足，无法释放", Detail: "held or occupied would go below zero on " + string(account), Balance: &b}
		}
		return b, Exhausted(account, b, need)
	}
	return n, nil
}
