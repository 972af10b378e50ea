package recruit

import "time"

var now = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

// validID returns a valid ID number with the given first 17 digits.
func validID(first17 string) string { return first17 + string(IDCheckDigit(first17)) }

func application() Application {
	return Application{
		Candidate: Candidate{Name: "李明", IDNumber: validID("14010519880312003"), Degree: DegreeDoctorate,
			Title: TitleAssociate, Field: "材料科学"},
		Post: "新材料研究室主任", Ground: GroundKeyPost, Reason: "省重点实验室学科带头人岗位", Tier: TierLeading,
		SubPool: SubPoolResearch, Kind: KindInstitutionFull,
	}
}
