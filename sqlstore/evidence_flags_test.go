package sqlstore_test

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/jpeg"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// exifJPEG is a small JPEG whose EXIF block says it was taken at taken
// ("2006:01:02 15:04:05"); seed makes the bytes distinct.
func exifJPEG(t *testing.T, taken string, seed uint8) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 16, 16))
	img.Pix[0] = seed
	var pic bytes.Buffer
	if err := jpeg.Encode(&pic, img, nil); err != nil {
		t.Fatal(err)
	}
	var tiff bytes.Buffer
	w := func(v any) { binary.Write(&tiff, binary.LittleEndian, v) }
	tiff.WriteString("II")
	w(uint16(42))
	w(uint32(8))
	w(uint16(1)) // IFD0: the Exif IFD pointer
	w(uint16(0x8769))
	w(uint16(4))
	w(uint32(1))
	w(uint32(8 + 2 + 12 + 4))
	w(uint32(0))
	w(uint16(1)) // Exif IFD: DateTimeOriginal
	w(uint16(0x9003))
	w(uint16(2))
	w(uint32(20))
	w(uint32(8 + 2 + 12 + 4 + 2 + 12 + 4))
	w(uint32(0))
	d := make([]byte, 20)
	copy(d, taken)
	tiff.Write(d)
	seg := append([]byte("Exif\x00\x00"), tiff.Bytes()...)
	var out bytes.Buffer
	out.Write([]byte{0xFF, 0xD8, 0xFF, 0xE1})
	binary.Write(&out, binary.BigEndian, uint16(len(seg)+2))
	out.Write(seg)
	out.Write(pic.Bytes()[2:])
	return out.Bytes()
}

// TestEvidenceFlags: a photo used by two villages is flagged on both
// sheets; an activity photo taken months before the activity is flagged on
// the activity and on the sheet item counting it; one taken the same week
// is not; attendance above the village's population is refused on entry
// and on import.
func TestEvidenceFlags(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		newIndWorld(t, db)
		std := shippedStandard(t, db, "healthy-village")
		sys := sqltest.System()
		sheet := func(village string) *healthcell.ScoreSheet {
			sh := &healthcell.ScoreSheet{StandardID: std.ID, Kind: healthcell.SheetSelf, UnitKind: "village", UnitRef: village, Year: 2025}
			if err := db.CreateScoreSheet(sys, sh); err != nil {
				t.Fatal(err)
			}
			return sh
		}
		a, b := sheet(sqltest.Village), sheet(sqltest.Village2)
		photo := pngBytes(t)
		ea, err := db.AddEvidence(sys, a.ID, "1.2", "方案.png", photo)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.AddEvidence(sys, b.ID, "1.3", "调查.png", photo); err != nil {
			t.Fatal(err)
		}
		if _, err := db.AddEvidence(sys, a.ID, "1.3", "自己的.png", exifJPEG(t, "2025:03:01 10:00:00", 9)); err != nil {
			t.Fatal(err)
		}

		// Two activities in the village: photos taken 4 months before, and 2 days after.
		act := func(date, attendance string) (*healthcell.Entry, error) {
			return db.CreateEntry(sys, healthcell.EntryInput{Register: "activities", VillageCode: sqltest.Village,
				Fields: map[string]string{"kind": "lecture", "activity_date": date, "place": "村活动室", "topic": "控烟", "attendance": attendance}})
		}
		far, err := act("2025-05-01", "2")
		if err != nil {
			t.Fatal(err)
		}
		near, err := act("2025-06-01", "2")
		if err != nil {
			t.Fatal(err)
		}
		ff, err := db.AddEntryFile(sys, "activities", far.ID, "旧照片.jpg", exifJPEG(t, "2025:01:01 09:00:00", 1))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.AddEntryFile(sys, "activities", near.ID, "现场.jpg", exifJPEG(t, "2025:06:03 09:00:00", 2)); err != nil {
			t.Fatal(err)
		}
		files, err := db.EntryFiles(sys, "activities", far.ID)
		if err != nil || len(files) != 1 || files[0].TakenOn != "2025-01-01" || len(files[0].Flags) != 1 || files[0].Flags[0].Reason != healthcell.FlagDateFar {
			t.Fatalf("far photo: %+v %v", files, err)
		}
		files, err = db.EntryFiles(sys, "activities", near.ID)
		if err != nil || len(files) != 1 || files[0].TakenOn != "2025-06-03" || len(files[0].Flags) != 0 {
			t.Fatalf("near photo: %+v %v", files, err)
		}

		flags, err := db.SheetEvidenceFlags(ctxVillageA, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		var reused, dated int
		for _, f := range flags {
			switch {
			case f.Reason == healthcell.FlagReused && f.EvidenceID == ea.ID && f.ItemCode == "1.2" && len(f.Uses) == 1 && f.Uses[0].Division == sqltest.Village2:
				reused++
			case f.Reason == healthcell.FlagDateFar && f.EvidenceID == ff.ID && f.ItemCode == "2.6" && f.TakenOn == "2025-01-01":
				dated++
			default:
				t.Errorf("unexpected flag %+v", f)
			}
		}
		if reused != 1 || dated != 1 {
			t.Fatalf("flags %+v", flags)
		}
		// Out of scope: the other village's officer does not see the sheet's flags.
		_, err = db.SheetEvidenceFlags(sqltest.As("other", healthcell.RoleVillage, sqltest.Village2), a.ID)
		wantCode(t, err, healthcell.ENOTFOUND)

		// Attendance above the village's 5 active residents.
		_, err = act("2025-06-01", "500")
		wantInvalid(t, err, "attendance")
		_, _, err = db.ImportEntries(sys, "activities", []healthcell.EntryRow{{Row: 2, Village: sqltest.Village,
			Fields: map[string]string{"kind": "lecture", "activity_date": "2025-06-01", "place": "村活动室", "topic": "控烟", "attendance": "500"}}}, false)
		if fe := healthcell.ErrorFields(err); len(fe) != 1 || fe[0].Field != "attendance" || fe[0].Message != sqlstore.MsgAbovePopulation || fe[0].Row != 2 {
			t.Fatalf("import: %v", err)
		}
	})
}
