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
		add(RuleOpenDisciplineCase, "filedBy", "报送部门存在未整改完毕的违反机构编制纪律问题，暂停受理其机构编制事项",
			"the filing department has an open discipline case; no request is accepted until rectification is complete")
	}
	active := func(id, field string) (Unit, bool) {
		u, ok := f.Units[id]
		if !ok {
			add(RuleUnitNotFound, field, "机构不存在："+id, "unit "+id+" does not exist")
			return Unit{}, false
		}
		if u.Status != StatusActive {
			add(RuleUnitNotActive, field, "机构已撤销或已被合并："+u.Name, "unit "+id+" is "+string(u.Status))
			return u, false
		}
		if !Covers(p.RegionCode, u.RegionCode) {
			add(RuleOutOfRegion, field, "机构不属于本方案的行政区划："+u.Name, "unit "+id+" is outside region "+p.RegionCode)
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
				add(RuleInvalidNewUnit, "newUnit."+e.Field, "新设机构信息不正确："+e.Message, e.Detail)
			}
		}
		if !Covers(p.RegionCode, spec.RegionCode) {
			add(RuleOutOfRegion, "newUnit.regionCode", "新设机构不属于本方案的行政区划", "the new unit is outside region "+p.RegionCode)
		}
		if spec.Kind != KindInstitution {
			return
		}
		if spec.Category == CategoryAdministrative {
			add(RuleAdministrativeFunction, "newUnit.category", "不得新设承担行政职能的事业单位",
				"no new public institution with administrative functions")
		}
		if spec.Category == CategoryBusiness {
			add(RuleBusinessInstitution, "newUnit.category", "不得新设从事生产经营活动的事业单位",
				"no new public institution of business/production nature")
		}
		if quotaTotal < MinInstitutionQuotas {
			add(RuleTooFewQuotas, "newUnit.quotas", fmt.Sprintf("新设事业单位编制数不得少于%d名（现为%d名）", MinInstitutionQuotas, quotaTotal),
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
			add(RuleNoAbolitionOffset, "unitIds", "新设机构须撤一建一：本方案未撤销机构，且本区划无可用的撤销指标",
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
			add(RuleNotInstitution, "unitIds", "只有事业单位可以调整类别", "only public institutions have a category")
		}
		if p.NewCategory == CategoryAdministrative {
			add(RuleCategoryToAdministrative, "newCategory", "不得将事业单位调整为承担行政职能类",
				"an institution may not be re-categorised as administrative-function")
		}
	case ProposalHandOver:
		if _, ok := f.Units[p.NewManagingAuthorityID]; !ok {
			add(RuleUnitNotFound, "newManagingAuthorityId", "新的管理单位不存在", "managing authority "+p.NewManagingAuthorityID+" does not exist")
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
			add(RuleAbolishedHasIncumbents, "unitIds", fmt.Sprintf("被撤销机构%s仍有实有人员%d名，须先妥善安置", name, occ),
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
			add(RuleQuotaGrowth, "quotaSources", fmt.Sprintf("编制总量零增长：新设机构所需%s编制%d名，划转来源仅%d名", kindZH(k), need[k], have[k]),
				fmt.Sprintf("zero growth: %s needs %d, sources give %d", k, need[k], have[k]))
		} else if need[k] < have[k] {
			add(RuleQuotaGrowth, "quotaSources", fmt.Sprintf("划转%s编制%d名多于新设机构所需%d名", kindZH(k), have[k], need[k]),
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
				name := "本区划收回编制池"
				if src != "" {
					name = src
					if u, ok := f.Units[src]; ok {
						name = u.Name
					}
				}
				add(RuleQuotaSourceInsufficient, "quotaSources", fmt.Sprintf("%s的%s空编仅%d名，不足划转%d名", name, kindZH(k), vacant, want),
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
		return "全额拨款事业"
	case QuotaInstitutionPartial:
		return "差额拨款事业"
	case QuotaInstitutionSelf:
		return "自收自支事业"
	case QuotaPoliticsLegal:
		return "政法专项"
	case QuotaServiceStaff:
		return "工勤"
	}
	return string(k)
}

// checkCuts refuses a merger whose quota cut is larger than the vacancies of the merged
// whole: cutting occupied posts would leave people over quota (超编), which the red line forbids.
func checkCuts(p Proposal, f Facts, add func(code, field, zh, en string)) {
	ids := append([]string{p.TargetUnitID}, p.UnitIDs...)
	for _, c := range p.QuotaCuts {
		var vacant int64
		for _, id := range ids {
			vacant += balanceOf(f.Balances[id], c.Kind).Vacant
		}
		if c.Count > vacant {
			add(RuleCutOverIncumbents, "quotaCuts", fmt.Sprintf("核减%s编制%d名超过合并后空编%d名，将造成超编", kindZH(c.Kind), c.Count, vacant),
				fmt.Sprintf("cutting %d %s exceeds the %d vacant posts after the merger", c.Count, c.Kind, vacant))
		}
	}
}
