package mongostore

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

const (
	colTenureOps    = "tenure_ops"
	colExitRequests = "exit_requests"
)

type tenureOpDoc struct {
	ID         string    `bson:"_id"` // <tenure>#<seq>: the compare-and-swap of a tenure
	Tenure     string    `bson:"tenure"`
	Seq        int64     `bson:"seq"`
	IDNumber   string    `bson:"idNumber"`
	Kind       string    `bson:"kind"`
	From       string    `bson:"from"`
	To         string    `bson:"to,omitempty"`
	Unit       string    `bson:"unit,omitempty"`
	TransferID string    `bson:"transferId"`
	Ref        string    `bson:"ref"`
	ExitReason string    `bson:"exitReason,omitempty"`
	ExitDate   time.Time `bson:"exitDate,omitempty"`
	DocNo      string    `bson:"docNo,omitempty"`
	Actor      string    `bson:"actor,omitempty"`
	Done       bool      `bson:"done"`
	At         time.Time `bson:"at"`
}

func (d tenureOpDoc) op() ledger.TenureOp {
	return ledger.TenureOp{ID: d.ID, Tenure: d.Tenure, Seq: d.Seq, IDNumber: d.IDNumber, Kind: ledger.TenureOpKind(d.Kind),
		From: ledger.AccountID(d.From), To: ledger.AccountID(d.To), Unit: d.Unit, TransferID: d.TransferID, Ref: d.Ref,
		ExitReason: ledger.ExitReason(d.ExitReason), ExitDate: d.ExitDate.UTC(), DocNo: d.DocNo, Actor: d.Actor, Done: d.Done, At: d.At.UTC()}
}

// InsertTenureOp appends an op to its tenure; a taken number is a duplicate.
func (s *Store) InsertTenureOp(ctx context.Context, op ledger.TenureOp) error {
	return s.insert(ctx, colTenureOps, tenureOpDoc{ID: ledger.TenureOpID(op.Tenure, op.Seq), Tenure: op.Tenure, Seq: op.Seq,
		IDNumber: op.IDNumber, Kind: string(op.Kind), From: string(op.From), To: string(op.To), Unit: op.Unit,
		TransferID: op.TransferID, Ref: op.Ref, ExitReason: string(op.ExitReason), ExitDate: op.ExitDate, DocNo: op.DocNo,
		Actor: op.Actor, Done: op.Done, At: op.At}, "insert tenure op")
}

// TenureOp reads a tenure's op by number.
func (s *Store) TenureOp(ctx context.Context, tenure string, seq int64) (ledger.TenureOp, error) {
	var d tenureOpDoc
	if err := s.findID(ctx, colTenureOps, ledger.TenureOpID(tenure, seq), &d, "find tenure op"); err != nil {
		return ledger.TenureOp{}, err
	}
	return d.op(), nil
}

// OpenTenureOps lists ops not done, recorded before a time (a scan: recovery only).
func (s *Store) OpenTenureOps(ctx context.Context, before time.Time) ([]ledger.TenureOp, error) {
	docs, err := findAll[tenureOpDoc](ctx, s, colTenureOps, bson.D{{Key: "done", Value: false}, {Key: "at", Value: bson.D{{Key: "$lt", Value: before}}}}, "list open tenure ops")
	if err != nil {
		return nil, err
	}
	out := make([]ledger.TenureOp, len(docs))
	for i, d := range docs {
		out[i] = d.op()
	}
	return out, nil
}

// SetTenureOpDone marks an op finished.
func (s *Store) SetTenureOpDone(ctx context.Context, id string) error {
	return s.setID(ctx, colTenureOps, id, bson.D{{Key: "done", Value: true}}, "set tenure op done")
}

type exitRequestDoc struct {
	ID          string    `bson:"_id"`
	IDNumber    string    `bson:"idNumber"`
	Tenure      string    `bson:"tenure"`
	Fingerprint string    `bson:"fingerprint"`
	At          time.Time `bson:"at"`
}

// InsertExitRequest binds an exit request to its tenure.
func (s *Store) InsertExitRequest(ctx context.Context, r ledger.ExitRequestRecord) error {
	return s.insert(ctx, colExitRequests, exitRequestDoc{ID: r.ID, IDNumber: r.IDNumber, Tenure: r.Tenure, Fingerprint: r.Fingerprint, At: r.At}, "insert exit request")
}

// ExitRequest reads an exit request.
func (s *Store) ExitRequest(ctx context.Context, id string) (ledger.ExitRequestRecord, error) {
	var d exitRequestDoc
	if err := s.findID(ctx, colExitRequests, id, &d, "find exit request"); err != nil {
		return ledger.ExitRequestRecord{}, err
	}
	return ledger.ExitRequestRecord{ID: d.ID, IDNumber: d.IDNumber, Tenure: d.Tenure, Fingerprint: d.Fingerprint, At: d.At.UTC()}, nil
}
