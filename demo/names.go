package demo

import "strings"

// surnameWeights lists common surnames with a relative weight: roughly the
// national frequency, shifted towards what is common in 四川 and in 苍溪 in
// particular (many 王, 张, 李, 赵, 何, 罗; also 蒲, 任, 向, 苟, 敬, 母, 雍).
var surnameWeights = []struct {
	name   string
	weight int
}{
	{"王", 900}, {"李", 760}, {"张", 760}, {"刘", 480}, {"陈", 430}, {"杨", 420},
	{"赵", 380}, {"何", 330}, {"罗", 320}, {"黄", 200}, {"周", 190}, {"吴", 150},
	{"徐", 110}, {"孙", 100}, {"胡", 140}, {"朱", 90}, {"高", 90}, {"林", 60},
	{"郭", 80}, {"马", 80}, {"梁", 70}, {"宋", 80}, {"郑", 60}, {"谢", 100},
	{"韩", 50}, {"唐", 130}, {"冯", 110}, {"于", 30}, {"董", 60}, {"萧", 30},
	{"程", 60}, {"曹", 60}, {"袁", 130}, {"邓", 150}, {"许", 60}, {"傅", 50},
	{"沈", 40}, {"曾", 110}, {"彭", 110}, {"吕", 40}, {"苏", 60}, {"卢", 50},
	{"蒋", 80}, {"蔡", 40}, {"贾", 90}, {"丁", 40}, {"魏", 60}, {"薛", 30},
	{"叶", 50}, {"阎", 20}, {"余", 90}, {"潘", 40}, {"杜", 90}, {"戴", 30},
	{"夏", 40}, {"钟", 50}, {"汪", 30}, {"田", 70}, {"任", 150}, {"姜", 40},
	{"范", 50}, {"方", 30}, {"石", 50}, {"姚", 40}, {"谭", 60}, {"廖", 70},
	{"邹", 50}, {"熊", 60}, {"金", 20}, {"陆", 20}, {"郝", 20}, {"孔", 20},
	{"白", 30}, {"崔", 20}, {"康", 30}, {"毛", 40}, {"邱", 40}, {"秦", 40},
	{"江", 40}, {"史", 30}, {"顾", 20}, {"侯", 70}, {"邵", 20}, {"孟", 20},
	{"龙", 40}, {"万", 30}, {"段", 30}, {"雷", 60}, {"钱", 20}, {"汤", 30},
	{"尹", 40}, {"黎", 30}, {"易", 30}, {"常", 20}, {"武", 20}, {"乔", 20},
	{"贺", 30}, {"赖", 30}, {"龚", 40}, {"文", 40}, {"蒲", 140}, {"向", 120},
	{"敬", 60}, {"母", 40}, {"苟", 90}, {"冉", 30}, {"牟", 40}, {"鲜", 30},
	{"税", 20}, {"庞", 40}, {"岳", 40}, {"伍", 40}, {"严", 40}, {"舒", 30},
	{"陶", 40}, {"雍", 50}, {"付", 60}, {"肖", 80}, {"吉", 20}, {"左", 20},
	{"寇", 30}, {"屈", 20}, {"杞", 10}, {"青", 10}, {"勾", 20}, {"昝", 10},
}

// givenPool is the given-name material of one sex and one era: whole names
// typical of the time, and first and second characters to combine.
type givenPool struct {
	presets []string
	first   []string
	second  []string
	single  float64 // share of one-character given names
}

// Eras of birth for naming fashions.
const (
	eraOld    = iota // born before about 1965: 建国, 德华, 秀英, 桂兰
	eraMiddle        // about 1965–1994: 小平, 海波, 丽娟, 晓燕
	eraYoung         // about 1995 on: 浩宇, 子轩, 欣怡, 子涵
	numEras
)

func chars(s string) []string { return strings.Fields(s) }

// givenPools[sex][era], sex 0 female, 1 male.
var givenPools = [2][numEras]givenPool{
	{ // female
		{
			presets: chars("秀英 桂兰 玉兰 淑芬 素珍 秀珍 桂英 玉珍 翠花 凤英 素华 碧华 素琼 群英 桂芳 德秀 琼芳 秀兰 玉华 明珍"),
			first:   chars("秀 桂 玉 淑 素 春 翠 凤 金 银 兰 菊 琼 德 光 明 永 碧 群 道 开 正 世"),
			second:  chars("英 兰 珍 芬 华 芳 秀 莲 花 梅 琴 凤 娥 香 清 群 碧 蓉 容 贞 仙 珠 莲 元"),
			single:  0.08,
		},
		{
			presets: chars("小红 丽娟 晓燕 春梅 海燕 秋菊 雪梅 丽华 小琴 明霞 红梅 小燕 晓琴 丽萍"),
			first:   chars("小 丽 晓 红 春 海 秋 雪 建 桂 明 美 燕 利 玉 冬 远 朝"),
			second:  chars("丽 红 燕 霞 娟 英 敏 静 艳 芳 玲 梅 琴 莉 萍 琳 蓉 丹 平 利 君 容"),
			single:  0.22,
		},
		{
			presets: chars("欣怡 子涵 雨涵 梓涵 诗涵 思雨 可馨 佳怡 一诺 语嫣 紫涵 梦琪 雅琪 欣妍 雨欣 诗琪"),
			first:   chars("欣 子 雨 梓 诗 思 可 佳 一 语 紫 梦 雅 心 静 嘉 晨 依 若 芷 婉 馨"),
			second:  chars("怡 涵 萱 琪 彤 雨 琳 妍 然 悦 蕾 婷 菲 瑶 颖 欣 雯 洁 希 月 蕊"),
			single:  0.08,
		},
	},
	{ // male
		{
			presets: chars("建国 德华 国华 志强 建华 永福 长贵 德明 文华 国庆 明德 光明 学文 世荣 正清 玉林 福全 开明 建军 朝华"),
			first:   chars("建 国 德 志 明 文 永 成 春 长 光 兴 福 泽 世 正 玉 家 天 洪 学 朝 开 云 绍 登 继 汉 万 仕 元 廷 宗 庆"),
			second:  chars("华 国 明 林 清 贵 富 才 荣 发 军 福 全 生 山 平 和 文 成 安 忠 良 义 友 章 中 祥 顺 云 海 奎 堂 春 武 兵 德 银"),
			single:  0.08,
		},
		{
			presets: chars("小平 红军 建军 卫东 海波 志勇 晓东 俊杰 国强 文斌 小龙 大伟 建平 永刚"),
			first:   chars("小 红 建 晓 海 志 国 学 春 永 俊 文 明 德 大 勇 军 华 卫 利 光 金"),
			second:  chars("伟 勇 军 强 涛 斌 波 杰 刚 平 辉 鹏 飞 超 林 峰 华 东 明 兵 洪 川 江 松 彬 龙 亮"),
			single:  0.22,
		},
		{
			presets: chars("浩宇 子轩 宇航 俊杰 梓豪 浩然 宇轩 博文 一鸣 皓轩 思远 子豪 梓轩 俊熙"),
			first:   chars("浩 子 宇 俊 梓 思 博 一 皓 雨 泽 天 家 嘉 铭 睿 锦 奕 承 宏 煜 明"),
			second:  chars("宇 轩 航 杰 豪 然 涵 辰 阳 哲 睿 博 泽 霖 铭 宸 翔 洋 凯 宁 鑫 晨 熙"),
			single:  0.10,
		},
	},
}

// presetShare is the share of given names taken whole from an era's presets.
const presetShare = 0.25

// surnameTable is a cumulative weight table for drawing surnames.
type surnameTable struct {
	names []string
	cum   []uint32 // cum[i] = sum of weights 0..i
	total uint32
	top   int // the first top surnames are the candidates for village clans
}

var surnames = func() surnameTable {
	t := surnameTable{top: 40}
	var sum uint32
	for _, s := range surnameWeights {
		sum += uint32(s.weight)
		t.names = append(t.names, s.name)
		t.cum = append(t.cum, sum)
	}
	t.total = sum
	return t
}()

// index returns the surname index for a draw x in [0, total).
func (t *surnameTable) index(x uint32) int {
	lo, hi := 0, len(t.cum)-1
	for lo < hi {
		m := (lo + hi) / 2
		if t.cum[m] > x {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo
}
