package unit

import "fmt"

// Finding is a named reason a proposal breaks a staffing rule. It is stored with the
// proposal, so the review record shows why legality review failed.
type Finding struct {
	Code    string `json:"code" bson:"code"`
	Field   string `json:"field,omitempty" bson:"field,omitempty"`
	Message string `json:"message" bson:"message"` // Simplified Chinese
	Detail  string `json:"detail" bson:"detail"`   // English
}

// Rule codes: stable names that the portal, the API and the tests share.
const (
	RuleOpenDisciplineCase       = "open_discipline_case"
	RuleUnitNotFound             = "unit_not_found"
	RuleUnitNotActive            = "unit_not_active"
	RuleOutOfRegion              = "unit_out_of_region"
	RuleAdministrativeFunction   = "new_institution_administrative_function"
	RuleBusinessInstitution      = "new_institution_business"
	RuleTooFewQuotas             = "new_institution_too_few_quotas"
	RuleNoAbolitionOffset        = "no_abolition_offset"
	RuleQuotaGrowth              = "quota_growth"
	RuleQuotaSourceInsufficient  = "quota_source_insufficient"
	RuleAbolishedHasIncumbents   = "abolished_unit_has_incumbents"
	RuleCategoryToAdministrative = "category_change_to_administrative"
	RuleNotInstitution           = "not_an_institution"
	RuleInvalidNewUnit           = "invalid_new_unit"
	RuleCutOverIncumbents        = "quota_cut_over_incumbents"
)

// MinInstitutionQuotas is the smallest quota total a new public institution may have.
const MinInstitutionQuotas = 10

// Balance is a unit's (or pool's) standing for one quota kind, as the quota ledger
// reports it.
type Balance struct {
	Kind     QuotaKind `json:"kind"`
	Approved int64     `json:"approved"`
	Occupied int64     `json:"occupied"`
	Vacant   int64     `json:"vacant"`
}

// Facts is what the rules need to know about the world besides the proposal itself.
// The service gathers it from the store and the quota service; the rules stay pure.
type Facts struct {
	// Units holds the current version of every unit the proposal names, plus the filer.
	Units map[string]Unit
	// Balances per unit ID; PoolBalances for the proposal region's recovered-quota pool.
	Balances     map[string][]Balance
	PoolBalances []Balance
	// AbolitionCredits is the number of unused abolition credits of the proposal's region.
	AbolitionCredits int
	// DisciplineCaseOpen is the quota service's answer for the filing department.
	DisciplineCaseOpen bool
}

func balanceOf(bs []Balance, k QuotaKind) Balance {
	for _, b := range bs {
		if b.Kind == k {
			return b
		}
	}
	return Balance{Kind: k}
}

func totals(bs []Balance) (approved, occupied int64) {
	for _, b := range bs {
		approved += b.Approved
		occupied += b.Occupied
	}
	return
}

// Check runs every structural rule on p and returns the findings, empty when the
// proposal may go ahead. It is run at legality review and again before execution,
// because the world may have changed in between.
func Check(p Proposal, f Facts) []Finding {
	out := []Finding{}
	add := func(code, field, zh, en string) {
		out = append(out, Finding{Code: code, Field: field, Message: zh, Detail: en})
	}
	if f.DisciplineCaseOpen {
		add(RuleOpenDisciplineCase, "filedBy", "報送部門存在未整改完畢的違反機構編制紀律問題，暫停受理其機構編制事項",
			"the filing department has an open discipline case; no request is accepted until rectification is complete")
	}
	active := func(id, field string) (Unit, bool) {
		u, ok := f.Units[id]
		if !ok {
			add(RuleUnitNotFound, field, "機構不存在："+id, "unit "+id+" does not exist")
			return Unit{}, false
		}
		if u.Status != StatusActive {
			add(RuleUnitNotActive, field, "機構已撤銷或已被合併："+u.Name, "unit "+id+" is "+string(u.Status))
			return u, false
		}
		if !Covers(p.RegionCode, u.RegionCode) {
			add(RuleOutOfRegion, field, "機構不屬於本方案的行政區劃："+u.Name, "unit "+id+" is outside region "+p.RegionCode)
			return u, false
		}
		return u, true
	}
	for _, id := range p.UnitIDs {
		active(id, "unitIds")
	}
	newInstitution := func(spec *UnitSpec, quotaTotal int64) {
		u := spec.Unit()
		u.ID = "new"
		if err := u.Validate(); err != nil {
			e, _ := AsError(err)
			if e == nil {
				if vs, ok := err.(Violations); ok && len(vs) > 0 {
					e = vs[0]
				}
			}
			if e != nil {
				add(RuleInvalidNewUnit, "newUnit."+e.Field, "新設機構信息不正確："+e.Message, e.Detail)
			}
		}
		if !Covers(p.RegionCode, spec.RegionCode) {
			add(RuleOutOfRegion, "newUnit.regionCode", "新設機構不屬於本方案的行政區劃", "the new unit is outside region "+p.RegionCode)
		}
		if spec.Kind != KindInstitution {
			return
		}
		if spec.Category == CategoryAdministrative {
			add(RuleAdministrativeFunction, "newUnit.category", "不得新設承擔行政職能的事業單位",
				"no new public institution with administrative functions")
		}
		if spec.Category == CategoryBusiness {
			add(RuleBusinessInstitution, "newUnit.category", "不得新設從事生產經營活動的事業單位",
				"no new public institution of business/production nature")
		}
		if quotaTotal < MinInstitutionQuotas {
			add(RuleTooFewQuotas, "newUnit.quotas", fmt.Sprintf("新設事業單位編制數不得少於%d名（現為%d名）", MinInstitutionQuotas, quotaTotal),
				fmt.Sprintf("a new public institution needs at least %d quotas, has %d", MinInstitutionQuotas, quotaTotal))
		}
	}
	switch p.Kind {
	case ProposalEstablish:
		if p.NewUnit == nil {
			break
		}
		newInstitution(p.NewUnit, SumQuotas(p.NewUnit.Quotas))
		if len(p.UnitIDs) == 0 && f.AbolitionCredits < 1 {
			add(RuleNoAbolitionOffset, "unitIds", "新設機構須撤一建一：本方案未撤銷機構，且本區劃無可用的撤銷指標",
				"establishing a unit needs an abolition in the same proposal or an unused abolition credit of the region")
		}
		checkAbolished(p, f, add)
		checkZeroGrowth(p, f, add)
	case ProposalMerge:
		if p.TargetUnitID != "" {
			active(p.TargetUnitID, "targetUnitId")
		}
		if p.NewUnit != nil {
			var total int64
			for _, id := range p.UnitIDs {
				a, _ := totals(f.Balances[id])
				total += a
			}
			newInstitution(p.NewUnit, total)
		}
		checkCuts(p, f, add)
	case ProposalAbolish:
		checkAbolished(p, f, add)
	case ProposalChangeCategory:
		if u, ok := f.Units[firstID(p)]; ok && u.Kind != KindInstitution {
			add(RuleNotInstitution, "unitIds", "只有事業單位可以調整類別", "only public institutions have a category")
		}
		if p.NewCategory == CategoryAdministrative {
			add(RuleCategoryToAdministrative, "newCategory", "不得將事業單位調整為承擔行政職能類",
				"an institution may not be re-categorised as administrative-function")
		}
	case ProposalHandOver:
		if _, ok := f.Units[p.NewManagingAuthorityID]; !ok {
			add(RuleUnitNotFound, "newManagingAuthorityId", "新的管理單位不存在", "managing authority "+p.NewManagingAuthorityID+" does not exist")
		}
	}
	return out
}

func firstID(p Proposal) string {
	if len(p.UnitIDs) == 0 {
		return ""
	}
	return p.UnitIDs[0]
}

// checkAbolished refuses to abolish a unit that still has people: they have to be
// placed by a merger first, since abolition only recovers vacant posts.
func checkAbolished(p Proposal, f Facts, add func(code, field, zh, en string)) {
	for _, id := range p.UnitIDs {
		if _, occ := totals(f.Balances[id]); occ > 0 {
			name := id
			if u, ok := f.Units[id]; ok {
				name = u.Name
			}
			add(RuleAbolishedHasIncumbents, "unitIds", fmt.Sprintf("被撤銷機構%s仍有實有人員%d名，須先妥善安置", name, occ),
				fmt.Sprintf("unit %s still has %d incumbents", id, occ))
		}
	}
}

// checkZeroGrowth requires the new unit's posts to be exactly the posts transferred
// into it, and every source to have the vacancies it gives. Posts of units abolished in
// the same proposal flow into the region pool first, so they count as pool vacancies.
func checkZeroGrowth(p Proposal, f Facts, add func(code, field, zh, en string)) {
	need := map[QuotaKind]int64{}
	for _, q := range p.NewUnit.Quotas {
		need[q.Kind] += q.Count
	}
	have := map[QuotaKind]int64{}
	perSource := map[string]map[QuotaKind]int64{}
	for _, s := range p.QuotaSources {
		have[s.Kind] += s.Count
		if perSource[s.FromUnitID] == nil {
			perSource[s.FromUnitID] = map[QuotaKind]int64{}
		}
		perSource[s.FromUnitID][s.Kind] += s.Count
	}
	for _, k := range QuotaKinds {
		if need[k] > have[k] {
			add(RuleQuotaGrowth, "quotaSources", fmt.Sprintf("編制總量零增長：新設機構所需%s編制%d名，劃轉來源僅%d名", kindZH(k), need[k], have[k]),
				fmt.Sprintf("zero growth: %s needs %d, sources give %d", k, need[k], have[k]))
		} else if need[k] < have[k] {
			add(RuleQuotaGrowth, "quotaSources", fmt.Sprintf("劃轉%s編制%d名多於新設機構所需%d名", kindZH(k), have[k], need[k]),
				fmt.Sprintf("sources give %d %s, the new unit needs %d", have[k], k, need[k]))
		}
	}
	for src, kinds := range perSource {
		for _, k := range QuotaKinds {
			want := kinds[k]
			if want == 0 {
				continue
			}
			var vacant int64
			if src == "" {
				vacant = balanceOf(f.PoolBalances, k).Vacant
				for _, id := range p.UnitIDs {
					vacant += balanceOf(f.Balances[id], k).Vacant
				}
			} else {
				vacant = balanceOf(f.Balances[src], k).Vacant
			}
			if want < 0 || want > vacant {
				name := "本區劃收回編制池"
				if src != "" {
					name = src
					if u, ok := f.Units[src]; ok {
						name = u.Name
					}
				}
				add(RuleQuotaSourceInsufficient, "quotaSources", fmt.Sprintf("%s的%s空編僅%d名，不足劃轉%d名", name, kindZH(k), vacant, want),
					fmt.Sprintf("source %q has %d vacant %s, %d requested", src, vacant, k, want))
			}
		}
	}
}

func kindZH(k QuotaKind) string {
	switch k {
	case QuotaAdministrative:
		return "行政"
	case QuotaInstitutionFull:
		return "全額撥款事業"
	case QuotaInstitutionPartial:
		return "差額撥款事業"
	case QuotaInstitutionSelf:
		return "自收自支事業"
	case QuotaWorker:
		return "工勤"
	}
	return string(k)
}

// checkCuts refuses a merger whose quota cut is larger than the vacancies of the merged
// whole: cutting occupied posts would leave people over quota (超編), which the red line forbids.
func checkCuts(p Proposal, f Facts, add func(code, field, zh, en string)) {
	ids := append([]string{p.TargetUnitID}, p.UnitIDs...)
	for _, c := range p.QuotaCuts {
		var vacant int64
		for _, id := range ids {
			vacant += balanceOf(f.Balances[id], c.Kind).Vacant
		}
		if c.Count > vacant {
			add(RuleCutOverIncumbents, "quotaCuts", fmt.Sprintf("核減%s編制%d名超過合併後空編%d名，將造成超編", kindZH(c.Kind), c.Count, vacant),
				fmt.Sprintf("cutting %d %s exceeds the %d vacant posts after the merger", c.Count, c.Kind, vacant))
		}
	}
}
