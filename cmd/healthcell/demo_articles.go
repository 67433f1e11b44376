package main

import (
	"context"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
)

// demoArticle is a health-knowledge article of the demo county, published
// daysAgo days before the build (negative: a draft).
type demoArticle struct {
	category, title, summary, body string
	daysAgo                        int
}

// demoArticles are written in the words of the seeds' themes (健康素养66条,
// 慢病防治, 传染病防控, 爱国卫生); the facts are the national health
// literacy points and common public-health advice.
var demoArticles = []demoArticle{
	{"literacy66", "健康素养66条：基本知识和理念（一）", "健康不仅仅是没有疾病，每个人都是自己健康的第一责任人。",
		`## 什么是健康
健康不仅仅是没有疾病或虚弱，而是身体、心理和社会适应的完好状态。

## 要记住的几条
1. 每个人都有维护自身和他人健康的责任，健康的生活方式能够维护和促进自身健康。
2. 环境与健康息息相关，保护环境，促进健康。
3. 无偿献血，助人利己。
4. 每个人都应当关爱、帮助、不歧视病残人员。
5. 定期进行健康体检。

## 几个正常值
- 成年人的正常血压：收缩压 ≥90 毫米汞柱且 <140 毫米汞柱，舒张压 ≥60 毫米汞柱且 <90 毫米汞柱。
- 腋下体温 36～37℃，平静呼吸 16～20 次/分，心率 60～100 次/分。

有疑问可以到村卫生室咨询，家庭医生签约服务免费为您解答。`, 40},
	{"chronic", "高血压：早发现、早治疗、管长期", "18岁以上每年至少量一次血压，确诊后按医嘱坚持服药，不要自行停药。",
		`高血压是最常见的慢性病，早期往往**没有任何感觉**，很多人是在中风、心梗后才知道自己血压高。

## 怎样早发现
- 18 岁以上的成年人，每年至少测量 1 次血压。
- 35 岁以上的居民到村卫生室、乡镇卫生院看病时，医生会首先为您测血压。
- 家里有老人的，可以备一台上臂式电子血压计。

## 确诊以后怎么办
1. 按医嘱服药，**血压正常了也不能自行停药**。
2. 每天吃盐不超过 5 克，少吃咸菜、腊肉。
3. 戒烟限酒，每周至少运动 5 天，每次 30 分钟。
4. 签约家庭医生，每季度至少随访 1 次，随访免费。`, 21},
	{"chronic", "糖尿病患者如何管好血糖", "管住嘴、迈开腿、按时吃药、定期监测，四件事做好，血糖就能稳住。",
		`## 四件事
- **管住嘴**：定时定量吃饭，主食粗细搭配，少吃甜食和油炸食品。
- **迈开腿**：饭后 30 分钟散步或做家务，每次 30 分钟左右。
- **按时吃药**：口服药或胰岛素都要按医嘱使用，不要听信偏方。
- **定期监测**：空腹血糖每月至少查 1 次，每年做 1 次眼底和足部检查。

出现心慌、出冷汗、手抖，可能是低血糖，要马上吃几块糖或喝一杯糖水，并告诉家人。`, 12},
	{"infectious", "秋冬季呼吸道传染病，这样预防", "勤洗手、常通风、咳嗽打喷嚏遮口鼻，老人和孩子按时接种流感疫苗。",
		`秋冬季是流感等呼吸道传染病的高发季节。

## 日常防护
1. 勤洗手：用流动水和肥皂洗手，不少于 20 秒。
2. 常通风：家里每天开窗通风 2～3 次，每次不少于 30 分钟。
3. 咳嗽、打喷嚏时用纸巾或手肘遮住口鼻。
4. 到医院、集市等人多的地方，建议佩戴口罩。

## 接种疫苗
60 岁以上老人、慢性病患者和儿童是重点人群，请到乡镇卫生院预防接种门诊接种流感疫苗。

出现发热、咳嗽，请及时到村卫生室或乡镇卫生院就诊，不要带病上学、上班。`, 5},
	{"patriotic", "爱国卫生：清洁家园，从房前屋后做起", "翻盆倒罐清积水，垃圾分类不乱扔，改厕改圈讲卫生，人人动手建设健康村。",
		`## 我们一起做
- **清积水**：每周检查一次花盆、废轮胎、坛坛罐罐，倒掉积水，防止蚊虫滋生。
- **清垃圾**：生活垃圾入桶入箱，不乱扔、不乱倒、不焚烧。
- **清杂物**：柴草、农具堆放整齐，房前屋后无杂草。
- **改厕改圈**：使用卫生厕所，畜禽圈养，人畜分离。

每月最后一个周五是全村环境卫生大扫除日，欢迎大家参加。`, 2},
	{"literacy66", "健康素养66条：健康生活方式与行为（草稿）", "",
		`（待审核）
- 提倡健康生活方式：合理膳食、适量运动、戒烟限酒、心理平衡。`, -1},
}

// demoPublishedArticles writes the demo county's articles once (nothing
// when it has some), as the system, published before the build.
func (m *Main) demoPublishedArticles(ctx context.Context, db *sqlstore.DB) error {
	sys := system(ctx)
	county := demoCounty + "000000"
	have, err := db.FindArticles(sys, county)
	if err != nil || len(have) > 0 {
		return err
	}
	now := db.Now()
	for _, d := range demoArticles {
		a := &healthcell.Article{County: county, Category: d.category, Title: d.title, Summary: d.summary, Body: d.body}
		if d.daysAgo >= 0 {
			at := time.Date(now.Year(), now.Month(), now.Day(), 9, 0, 0, 0, time.Local).AddDate(0, 0, -d.daysAgo)
			a.PublishAt = &at
		}
		if err := db.SaveArticle(sys, a); err != nil {
			return err
		}
	}
	return nil
}
