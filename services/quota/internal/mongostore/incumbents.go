package mongostore

import (
	"context"
	"errors"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

type incumbentDoc struct {
	ID          string    `bson:"_id"` // the ID number: one person, one post
	Name        string    `bson:"name"`
	Gender      string    `bson:"gender"`
	BirthDate   time.Time `bson:"birthDate"`
	Account     string    `bson:"account"`
	Unit        string    `bson:"unit"`
	Channel     string    `bson:"channel"`
	EntryDate   time.Time `bson:"entryDate"`
	DocNo       string    `bson:"docNo,omitempty"`
	State       string    `bson:"state"`
	TransferID  string    `bson:"transferId,omitempty"`
	HoldID      string    `bson:"holdId,omitempty"`
	ExitReason  string    `bson:"exitReason,omitempty"`
	ExitDate    time.Time `bson:"exitDate,omitempty"`
	UpdatedAt   time.Time `bson:"updatedAt"`
	RequestID   string    `bson:"requestId,omitempty"`
	Fingerprint string    `bson:"fingerprint,omitempty"`
	Result      string    `bson:"result,omitempty"`
	OpSeq       int64     `bson:"opSeq"`
}

func toIncumbentDoc(r ledger.IncumbentRecord) incumbentDoc {
	return incumbentDoc{ID: r.IDNumber, Name: r.Name, Gender: string(r.Gender), BirthDate: r.BirthDate,
		Account: string(r.Account), Unit: r.Unit, Channel: string(r.Channel), EntryDate: r.EntryDate, DocNo: r.DocNo,
		State: string(r.State), TransferID: r.TransferID, HoldID: r.HoldID, ExitReason: string(r.ExitReason),
		ExitDate: r.ExitDate, UpdatedAt: r.UpdatedAt, RequestID: r.RequestID, Fingerprint: r.Fingerprint, Result: r.Result, OpSeq: r.OpSeq}
}

func (d incumbentDoc) record() ledger.IncumbentRecord {
	return ledger.IncumbentRecord{Incumbent: ledger.Incumbent{IDNumber: d.ID, Name: d.Name, Gender: ledger.Gender(d.Gender),
		BirthDate: d.BirthDate.UTC(), Account: ledger.AccountID(d.Account), Unit: d.Unit, Channel: ledger.EntryChannel(d.Channel),
		EntryDate: d.EntryDate.UTC(), DocNo: d.DocNo, State: ledger.IncumbentState(d.State), TransferID: d.TransferID,
		HoldID: d.HoldID, ExitReason: ledger.ExitReason(d.ExitReason), ExitDate: d.ExitDate.UTC(), UpdatedAt: d.UpdatedAt.UTC()},
		RequestID: d.RequestID, Fingerprint: d.Fingerprint, Result: d.Result, OpSeq: d.OpSeq}
}

// InsertIncumbents inserts people in one unordered bulk write (one store
// round trip for a whole batch of hires) and reports the rows refused
// because the ID number already occupies a post.
func (s *Store) InsertIncumbents(ctx context.Context, people []ledger.IncumbentRecord) ([]int, error) {
	docs := make([]any, len(people))
	for i, p := range people {
		docs[i] = toIncumbentDoc(p)
	}
	return s.insertMany(ctx, colIncumbents, docs, "insert incumbents")
}

// Incumbent reads a person by ID number.
func (s *Store) Incumbent(ctx context.Context, idNumber string) (ledger.IncumbentRecord, error) {
	var d incumbentDoc
	if err := s.findID(ctx, colIncumbents, idNumber, &d, "find incumbent"); err != nil {
		return ledger.IncumbentRecord{}, err
	}
	return d.record(), nil
}

// UpdateIncumbent replaces a person's record if it is still the same
// tenure and reflects an earlier op than r.OpSeq. The tenure ops, not this
// record, decide; the filter keeps a late writer from overwriting a later
// hire of the same person or a later op of the same tenure.
func (s *Store) UpdateIncumbent(ctx context.Context, r ledger.IncumbentRecord) (bool, error) {
	var matched bool
	err := retry(ctx, func() error {
		res, err := s.c(colIncumbents).ReplaceOne(ctx, bson.D{{Key: "_id", Value: r.IDNumber}, {Key: "requestId", Value: r.RequestID},
			{Key: "$or", Value: bson.A{
				bson.D{{Key: "opSeq", Value: bson.D{{Key: "$lt", Value: r.OpSeq}}}},
				bson.D{{Key: "opSeq", Value: bson.D{{Key: "$exists", Value: false}}}},
			}}}, toIncumbentDoc(r))
		if err != nil {
			return err
		}
		matched = res.MatchedCount > 0
		return nil
	})
	return matched, translate(err, "update incumbent")
}

// DeletePending removes people a hire batch inserted whose hire was refused
// or never applied, freeing their ID numbers; only records still pending
// under that batch go, so a later hire of the same person stays.
func (s *Store) DeletePending(ctx context.Context, batchID string, ids []string) error {
	return translate(retry(ctx, func() error {
		_, err := s.c(colIncumbents).DeleteMany(ctx, bson.D{
			{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}},
			{Key: "transferId", Value: batchID},
			{Key: "state", Value: string(ledger.IncumbentPending)},
		})
		return err
	}), "delete pending incumbents")
}

// Incumbents lists a unit's people (every state).
func (s *Store) Incumbents(ctx context.Context, unit string) ([]ledger.IncumbentRecord, error) {
	return incumbentList(findAll[incumbentDoc](ctx, s, colIncumbents, bson.D{{Key: "unit", Value: unit}}, "list incumbents"))
}

func incumbentList(docs []incumbentDoc, err error) ([]ledger.IncumbentRecord, error) {
	if err != nil {
		return nil, err
	}
	out := make([]ledger.IncumbentRecord, len(docs))
	for i, d := range docs {
		out[i] = d.record()
	}
	return out, nil
}

const colIncumbentHistory = "incumbent_history"

// ArchiveIncumbent copies an exited person to the history (idempotent: the
// copy's key is the exit) and then removes the live record.
func (s *Store) ArchiveIncumbent(ctx context.Context, r ledger.IncumbentRecord) error {
	d := toIncumbentDoc(r)
	d.ID = r.IDNumber + "#" + r.TransferID
	if err := s.insert(ctx, colIncumbentHistory, d, "archive incumbent"); err != nil && !errors.Is(err, ledger.ErrDuplicate) {
		return err
	}
	return translate(retry(ctx, func() error {
		_, err := s.c(colIncumbents).DeleteOne(ctx, bson.D{{Key: "_id", Value: r.IDNumber}, {Key: "requestId", Value: r.RequestID}, {Key: "state", Value: string(ledger.IncumbentExited)}})
		return err
	}), "delete archived incumbent")
}

// ArchivedIncumbent reads an archived record.
func (s *Store) ArchivedIncumbent(ctx context.Context, idNumber, transferID string) (ledger.IncumbentRecord, error) {
	var d incumbentDoc
	if err := s.findID(ctx, colIncumbentHistory, idNumber+"#"+transferID, &d, "find archived incumbent"); err != nil {
		return ledger.IncumbentRecord{}, err
	}
	r := d.record()
	r.IDNumber = idNumber
	return r, nil
}

// AllIncumbents reads every live person, only the fields the checker needs,
// in one query.
func (s *Store) AllIncumbents(ctx context.Context) ([]ledger.IncumbentRecord, error) {
	var out []incumbentDoc
	err := retry(ctx, func() error {
		cur, err := s.c(colIncumbents).Find(ctx, bson.D{}, optsCheckerProjection)
		if err != nil {
			return err
		}
		out = nil
		return cur.All(ctx, &out)
	})
	return incumbentList(out, translate(err, "list all incumbents"))
}

const colHireClaims = "hire_claims"

type hireClaimDoc struct {
	ID       string    `bson:"_id"`
	IDNumber string    `bson:"idNumber"`
	Account  string    `bson:"account"`
	At       time.Time `bson:"at"`
}

// ClaimHires inserts the claims of hire requests in one unordered bulk
// write and reports the ones already claimed.
func (s *Store) ClaimHires(ctx context.Context, claims []ledger.HireClaim) ([]int, error) {
	docs := make([]any, len(claims))
	for i, c := range claims {
		docs[i] = hireClaimDoc{ID: c.ID, IDNumber: c.IDNumber, Account: string(c.Account), At: c.At}
	}
	return s.insertMany(ctx, colHireClaims, docs, "claim hires")
}
