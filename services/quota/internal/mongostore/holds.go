package mongostore

import (
	"context"
	"sort"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

type holdDoc struct {
	ID        string    `bson:"_id"`
	Account   string    `bson:"account"`
	Amount    int64     `bson:"amount"`
	Purpose   string    `bson:"purpose,omitempty"`
	PlanID    string    `bson:"planId,omitempty"`
	Actor     string    `bson:"actor,omitempty"`
	ExpiresAt time.Time `bson:"expiresAt"`
	State     string    `bson:"state"`
	Posted    int64     `bson:"posted"`
	Voided    int64     `bson:"voided"`
	CreatedAt time.Time `bson:"createdAt"`
}

func toHoldDoc(h ledger.Hold) holdDoc {
	return holdDoc{ID: h.ID, Account: string(h.Account), Amount: h.Amount, Purpose: h.Purpose, PlanID: h.PlanID,
		Actor: h.Actor, ExpiresAt: h.ExpiresAt, State: string(h.State), Posted: h.Posted, Voided: h.Voided, CreatedAt: h.CreatedAt}
}

func (d holdDoc) hold() ledger.Hold {
	return ledger.Hold{ID: d.ID, Account: ledger.AccountID(d.Account), Amount: d.Amount, Purpose: d.Purpose, PlanID: d.PlanID,
		Actor: d.Actor, ExpiresAt: d.ExpiresAt.UTC(), State: ledger.HoldState(d.State), Posted: d.Posted, Voided: d.Voided,
		CreatedAt: d.CreatedAt.UTC()}
}

// InsertHold creates a hold record.
func (s *Store) InsertHold(ctx context.Context, h ledger.Hold) error {
	return s.insert(ctx, colHolds, toHoldDoc(h), "insert hold")
}

// Hold reads a hold.
func (s *Store) Hold(ctx context.Context, id string) (ledger.Hold, error) {
	var d holdDoc
	if err := s.findID(ctx, colHolds, id, &d, "find hold"); err != nil {
		return ledger.Hold{}, err
	}
	return d.hold(), nil
}

// UpdateHold replaces a hold's summary. The slots, not this summary, are
// the truth about which posts were used; the summary is recomputed from them.
func (s *Store) UpdateHold(ctx context.Context, h ledger.Hold) error {
	return s.replaceID(ctx, colHolds, h.ID, toHoldDoc(h), "update hold")
}

// OpenHolds lists holds not yet closed (pending or open).
func (s *Store) OpenHolds(ctx context.Context) ([]ledger.Hold, error) {
	return s.holds(ctx, bson.D{{Key: "state", Value: bson.D{{Key: "$in", Value: bson.A{string(ledger.HoldPending), string(ledger.HoldOpen)}}}}})
}

// AllHolds reads every hold (for the checker).
func (s *Store) AllHolds(ctx context.Context) ([]ledger.Hold, error) { return s.holds(ctx, bson.D{}) }

func (s *Store) holds(ctx context.Context, filter bson.D) ([]ledger.Hold, error) {
	docs, err := findAll[holdDoc](ctx, s, colHolds, filter, "list holds")
	if err != nil {
		return nil, err
	}
	out := make([]ledger.Hold, len(docs))
	for i, d := range docs {
		out[i] = d.hold()
	}
	return out, nil
}

type slotDoc struct {
	ID    string    `bson:"_id"`
	Hold  string    `bson:"hold"`
	Use   string    `bson:"use"`
	Ref   string    `bson:"ref,omitempty"`
	To    string    `bson:"to,omitempty"`
	Group []string  `bson:"group,omitempty"`
	At    time.Time `bson:"at"`
}

func (d slotDoc) slot() ledger.Slot {
	return ledger.Slot{ID: d.ID, Hold: d.Hold, Use: d.Use, Ref: d.Ref, To: ledger.AccountID(d.To), Group: d.Group, At: d.At.UTC()}
}

// ClaimSlots inserts slot records; a slot someone else holds is skipped.
func (s *Store) ClaimSlots(ctx context.Context, slots []ledger.Slot) ([]string, error) {
	docs := make([]any, len(slots))
	for i, sl := range slots {
		docs[i] = slotDoc{ID: sl.ID, Hold: sl.Hold, Use: sl.Use, Ref: sl.Ref, To: string(sl.To), Group: sl.Group, At: sl.At}
	}
	dup, err := s.insertMany(ctx, colSlots, docs, "claim slots")
	if err != nil {
		return nil, err
	}
	taken := map[int]bool{}
	for _, i := range dup {
		taken[i] = true
	}
	var out []string
	for i, sl := range slots {
		if !taken[i] {
			out = append(out, sl.ID)
		}
	}
	return out, nil
}

// Slots reads a hold's slot records by _id (1..amount), without scanning.
func (s *Store) Slots(ctx context.Context, holdID string, amount int64) ([]ledger.Slot, error) {
	ids := make([]string, amount)
	for i := range ids {
		ids[i] = ledger.SlotID(holdID, int64(i+1))
	}
	docs, err := findAll[slotDoc](ctx, s, colSlots, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}}, "list slots")
	if err != nil {
		return nil, err
	}
	return slotList(docs), nil
}

// AllSlots reads every slot (for the checker).
func (s *Store) AllSlots(ctx context.Context) ([]ledger.Slot, error) {
	docs, err := findAll[slotDoc](ctx, s, colSlots, bson.D{}, "list all slots")
	if err != nil {
		return nil, err
	}
	return slotList(docs), nil
}

func slotList(docs []slotDoc) []ledger.Slot {
	out := make([]ledger.Slot, len(docs))
	for i, d := range docs {
		out[i] = d.slot()
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
