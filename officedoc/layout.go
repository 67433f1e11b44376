package officedoc

// Page geometry and type sizes of GB/T 9704-2012, in the units WordprocessingML
// uses: twips (1/20 pt; 1 mm = 56.7 twips) and half-points for font sizes.
const (
	pageWidth    = 11906                                // A4, 210 mm
	pageHeight   = 16838                                // A4, 297 mm
	marginTop    = 2098                                 // 37 mm
	marginBottom = 1984                                 // 35 mm
	marginLeft   = 1587                                 // 28 mm
	marginRight  = 1474                                 // 26 mm
	footerFrom   = 1134                                 // footer 20 mm from the bottom edge (page number 7 mm below the type area)
	textWidth    = pageWidth - marginLeft - marginRight // 8845 twips, 156 mm

	sizeTitle      = 44 // 2号, 22 pt
	sizeBody       = 32 // 3号, 16 pt
	sizeTable      = 24 // 小四, 12 pt: tables of many columns fit the type area
	sizeTableSmall = 21 // 五号, 10.5 pt, for tables of more than compactColumns columns
	compactColumns = 6
	sizeFooter     = 28 // 4号 半角 page number

	lineBody  = 560 // fixed line spacing 28 pt
	lineTitle = 700 // 35 pt for the 22 pt title
	charBody  = 320 // one 3号 character, 16 pt, for indents

	fontTitle   = "方正小标宋简体"
	fontBody    = "仿宋_GB2312"
	fontHeading = "黑体"
	fontKai     = "楷体_GB2312"
	fontLatin   = "Times New Roman"
	fontFooter  = "宋体"
)
