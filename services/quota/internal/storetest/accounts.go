package storetest

import (
	"testing"
	"time"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

// accounts are spread over Taiyuan (140100): districts 140105 and 140106,
// a street of 140105, the city itself; one in Datong (140200); the
// province above.
var (
	accU1Adm   = ledger.Account{ID: "unit:u1:administrative", Type: ledger.HolderUnit, Holder: "u1", Kind: ledger.KindAdministrative, Region: "140105", Level: ledger.LevelCounty, Department: "d1", Name: "小店区教育局", CreatedAt: t0}
	accU1Full  = ledger.Account{ID: "unit:u1:institution_full", Type: ledger.HolderUnit, Holder: "u1", Kind: ledger.KindInstitutionFull, Region: "140105", Level: ledger.LevelCounty, Department: "d1", CreatedAt: at(time.Second)}
	accU2Adm   = ledger.Account{ID: "unit:u2:administrative", Type: ledger.HolderUnit, Holder: "u2", Kind: ledger.KindAdministrative, Region: "140105001", Level: ledger.LevelTownship, Department: "d2", CreatedAt: t0}
	accU3Adm   = ledger.Account{ID: "unit:u3:administrative", Type: ledger.HolderUnit, Holder: "u3", Kind: ledger.KindAdministrative, Region: "140106", Level: ledger.LevelCounty, Department: "d1", CreatedAt: t0}
	accControl = ledger.Account{ID: "pool:control:140100:administrative", Type: ledger.HolderControl, Holder: "140100", Kind: ledger.KindAdministrative, Region: "140100", Level: ledger.LevelCity, CreatedAt: t0}
	accRecov   = ledger.Account{ID: "pool:recovered:140105:institution_full", Type: ledger.HolderRecovered, Holder: "140105", Kind: ledger.KindInstitutionFull, Region: "140105", Level: ledger.LevelCounty, CreatedAt: t0}
	accU4Adm   = ledger.Account{ID: "unit:u4:administrative", Type: ledger.HolderUnit, Holder: "u4", Kind: ledger.KindAdministrative, Region: "140202", Level: ledger.LevelCounty, Department: "d1", CreatedAt: t0}
	accExt     = ledger.Account{ID: "ext:province:administrative", Type: ledger.HolderExternal, Holder: "province", Kind: ledger.KindAdministrative, Level: ledger.LevelProvince, CreatedAt: t0}
	accTalent  = ledger.Account{ID: "pool:talent:tp1:institution_full", Type: ledger.HolderTalent, Holder: "tp1", Kind: ledger.KindInstitutionFull, Region: "140100", Level: ledger.LevelCity, CreatedAt: t0}

	allAccounts = []ledger.Account{accU1Adm, accU1Full, accU2Adm, accU3Adm, accControl, accRecov, accU4Adm, accExt, accTalent}
)

func storedAccount(a ledger.Account) ledger.AccountRecord {
	a.CreatedAt = stored(a.CreatedAt)
	return ledger.AccountRecord{Account: a}
}

func insertAccounts(t *testing.T, s ledger.Store, accs ...ledger.Account) {
	t.Helper()
	for _, a := range accs {
		must(t, s.InsertAccount(ctx(t), a), "InsertAccount "+string(a.ID))
	}
}

var accountTests = []test{
	{"insert and read back", func(t *testing.T, s ledger.Store) {
		insertAccounts(t, s, accU1Adm, accExt)
		got, err := s.Account(ctx(t), accU1Adm.ID)
		must(t, err, "Account")
		equal(t, "Account", got, storedAccount(accU1Adm))
		got, err = s.Account(ctx(t), accExt.ID)
		must(t, err, "Account ext")
		equal(t, "Account ext", got, storedAccount(accExt))
	}},
	{"duplicate id", func(t *testing.T, s ledger.Store) {
		insertAccounts(t, s, accU1Adm)
		other := accU1Adm
		other.Name, other.Department = "another", "d9"
		isDuplicate(t, s.InsertAccount(ctx(t), other), "second InsertAccount")
		got, err := s.Account(ctx(t), accU1Adm.ID)
		must(t, err, "Account")
		equal(t, "the first account stays", got, storedAccount(accU1Adm))
	}},
	{"missing", func(t *testing.T, s ledger.Store) {
		_, err := s.Account(ctx(t), "unit:nobody:administrative")
		isNotFound(t, err, "Account")
	}},
	{"set abolished and head hint", func(t *testing.T, s ledger.Store) {
		insertAccounts(t, s, accU1Adm, accU3Adm)
		must(t, s.SetAbolished(ctx(t), accU1Adm.ID, true), "SetAbolished")
		must(t, s.SetHeadHint(ctx(t), accU1Adm.ID, 32), "SetHeadHint")
		want := storedAccount(accU1Adm)
		want.Abolished, want.HeadHint = true, 32
		got, err := s.Account(ctx(t), accU1Adm.ID)
		must(t, err, "Account")
		equal(t, "abolished with hint", got, want)
		must(t, s.SetAbolished(ctx(t), accU1Adm.ID, false), "SetAbolished false")
		must(t, s.SetHeadHint(ctx(t), accU1Adm.ID, 16), "SetHeadHint lower")
		want.Abolished, want.HeadHint = false, 16
		got, _ = s.Account(ctx(t), accU1Adm.ID)
		equal(t, "restored, hint overwritten", got, want)
		got, _ = s.Account(ctx(t), accU3Adm.ID)
		equal(t, "the other account", got, storedAccount(accU3Adm))
	}},
	{"set on a missing account is silent and creates nothing", func(t *testing.T, s ledger.Store) {
		must(t, s.SetAbolished(ctx(t), accU1Adm.ID, true), "SetAbolished")
		must(t, s.SetHeadHint(ctx(t), accU1Adm.ID, 16), "SetHeadHint")
		_, err := s.Account(ctx(t), accU1Adm.ID)
		isNotFound(t, err, "Account after sets")
	}},
	{"filters", func(t *testing.T, s ledger.Store) {
		insertAccounts(t, s, allAccounts...)
		for _, c := range []struct {
			name string
			f    ledger.AccountFilter
			want []ledger.Account
		}{
			{"all", ledger.AccountFilter{}, allAccounts},
			{"city subtree", ledger.AccountFilter{Region: "140100"}, []ledger.Account{accU1Adm, accU1Full, accU2Adm, accU3Adm, accControl, accRecov, accTalent}},
			{"district subtree", ledger.AccountFilter{Region: "140105"}, []ledger.Account{accU1Adm, accU1Full, accU2Adm, accRecov}},
			{"street", ledger.AccountFilter{Region: "140105001"}, []ledger.Account{accU2Adm}},
			{"province subtree", ledger.AccountFilter{Region: "140000"}, []ledger.Account{accU1Adm, accU1Full, accU2Adm, accU3Adm, accControl, accRecov, accU4Adm, accTalent}},
			{"other city", ledger.AccountFilter{Region: "140200"}, []ledger.Account{accU4Adm}},
			{"kind", ledger.AccountFilter{Kind: ledger.KindInstitutionFull}, []ledger.Account{accU1Full, accRecov, accTalent}},
			{"type unit", ledger.AccountFilter{Type: ledger.HolderUnit}, []ledger.Account{accU1Adm, accU1Full, accU2Adm, accU3Adm, accU4Adm}},
			{"type control", ledger.AccountFilter{Type: ledger.HolderControl}, []ledger.Account{accControl}},
			{"type external", ledger.AccountFilter{Type: ledger.HolderExternal}, []ledger.Account{accExt}},
			{"unit", ledger.AccountFilter{Unit: "u1"}, []ledger.Account{accU1Adm, accU1Full}},
			{"unit means a unit holder", ledger.AccountFilter{Unit: "140100"}, nil},
			{"level county", ledger.AccountFilter{Level: ledger.LevelCounty}, []ledger.Account{accU1Adm, accU1Full, accU3Adm, accRecov, accU4Adm}},
			{"level province", ledger.AccountFilter{Level: ledger.LevelProvince}, []ledger.Account{accExt}},
			{"ids", ledger.AccountFilter{IDs: []ledger.AccountID{accU2Adm.ID, accExt.ID, "unit:missing:administrative"}}, []ledger.Account{accU2Adm, accExt}},
			{"department", ledger.AccountFilter{Department: "d1"}, []ledger.Account{accU1Adm, accU1Full, accU3Adm, accU4Adm}},
			{"department, unit type, city", ledger.AccountFilter{Department: "d1", Type: ledger.HolderUnit, Region: "140100"}, []ledger.Account{accU1Adm, accU1Full, accU3Adm}},
			{"kind and district", ledger.AccountFilter{Kind: ledger.KindAdministrative, Region: "140105"}, []ledger.Account{accU1Adm, accU2Adm}},
			{"unit and kind", ledger.AccountFilter{Unit: "u1", Kind: ledger.KindInstitutionFull}, []ledger.Account{accU1Full}},
			{"ids and level", ledger.AccountFilter{IDs: []ledger.AccountID{accU1Adm.ID, accU2Adm.ID}, Level: ledger.LevelTownship}, []ledger.Account{accU2Adm}},
			{"nothing matches", ledger.AccountFilter{Department: "d1", Kind: ledger.KindServiceStaff}, nil},
		} {
			got, err := s.Accounts(ctx(t), c.f)
			must(t, err, "Accounts "+c.name)
			want := make([]ledger.AccountRecord, len(c.want))
			for i, a := range c.want {
				want[i] = storedAccount(a)
			}
			byID := func(r ledger.AccountRecord) ledger.AccountID { return r.ID }
			equal(t, "Accounts "+c.name, sortedBy(got, byID), sortedBy(want, byID))
		}
	}},
	{"a returned list is a copy", func(t *testing.T, s ledger.Store) {
		insertAccounts(t, s, accU1Adm)
		got, err := s.Accounts(ctx(t), ledger.AccountFilter{})
		must(t, err, "Accounts")
		got[0].Name, got[0].HeadHint = "changed", 99
		again, _ := s.Account(ctx(t), accU1Adm.ID)
		equal(t, "Account after changing the list", again, storedAccount(accU1Adm))
	}},
}
