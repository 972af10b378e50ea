package demo

// cityDepartments are the Taiyuan city Party and government departments the demo
// creates (name, short ID, Party organ?). The list follows the 2019 institutional reform.
var cityDepartments = []struct {
	ID, Name string
	Party    bool
}{
	{"C-JW", "中共太原市纪律检查委员会", true}, {"C-BGT", "中共太原市委办公厅", true}, {"C-ZZB", "中共太原市委组织部", true},
	{"C-XCB", "中共太原市委宣传部", true}, {"C-TZB", "中共太原市委统战部", true}, {"C-ZFW", "中共太原市委政法委员会", true},
	{"C-BB", "中共太原市委机构编制委员会办公室", true}, {"C-ZYS", "中共太原市委政策研究室", true}, {"C-WXB", "中共太原市委网络安全和信息化委员会办公室", true},
	{"C-ZFB", "太原市人民政府办公室", false}, {"C-FGW", "太原市发展和改革委员会", false}, {"C-JYJ", "太原市教育局", false},
	{"C-KJJ", "太原市科学技术局", false}, {"C-GXJ", "太原市工业和信息化局", false}, {"C-GAJ", "太原市公安局", false},
	{"C-MZJ", "太原市民政局", false}, {"C-SFJ", "太原市司法局", false}, {"C-CZJ", "太原市财政局", false},
	{"C-RSJ", "太原市人力资源和社会保障局", false}, {"C-ZRJ", "太原市规划和自然资源局", false}, {"C-STJ", "太原市生态环境局", false},
	{"C-ZJJ", "太原市住房和城乡建设局", false}, {"C-CGJ", "太原市城乡管理局", false}, {"C-JTJ", "太原市交通运输局", false},
	{"C-SWJ", "太原市水务局", false}, {"C-NYJ", "太原市农业农村局", false}, {"C-SWUJ", "太原市商务局", false},
	{"C-WLJ", "太原市文化和旅游局", false}, {"C-WJW", "太原市卫生健康委员会", false}, {"C-TYJ", "太原市退役军人事务局", false},
	{"C-YJJ", "太原市应急管理局", false}, {"C-SJJ", "太原市审计局", false}, {"C-GZW", "太原市人民政府国有资产监督管理委员会", false},
	{"C-SCJ", "太原市市场监督管理局", false}, {"C-TIYJ", "太原市体育局", false}, {"C-TJJ", "太原市统计局", false},
	{"C-YBJ", "太原市医疗保障局", false}, {"C-SPJ", "太原市行政审批服务管理局", false}, {"C-XFJ", "太原市信访局", false},
	{"C-YLJ", "太原市园林局", false},
}

// countyDepartments are the departments every county-level division gets.
var countyDepartments = []string{
	"纪律检查委员会", "委办公室", "委组织部", "委宣传部", "委统战部", "委政法委员会", "委机构编制委员会办公室",
	"人民政府办公室", "发展和改革局", "教育局", "科学技术和工业信息化局", "公安分局", "民政局", "司法局", "财政局",
	"人力资源和社会保障局", "住房和城乡建设局", "交通运输局", "农业农村局", "商务局", "文化和旅游局", "卫生健康局",
	"退役军人事务局", "应急管理局", "审计局", "市场监督管理局", "统计局", "医疗保障局", "行政审批服务管理局",
}

// parks are the 22 park institutions of the 园林局 that the reform merged into one
// park service centre.
var parks = []string{
	"迎泽公园", "汾河公园", "晋祠公园", "龙潭公园", "森林公园", "儿童公园", "动物园", "植物园", "滨河体育公园", "南沙河公园",
	"学府公园", "长风公园", "漪汾公园", "玉门河公园", "和平公园", "文瀛公园", "双塔公园", "碑林公园", "太山公园", "晋阳湖公园",
	"蒙山公园", "西山城市森林公园",
}

// institutionTypes are the kinds of public institution a department runs, with the
// share of the quota range they get.
var institutionTypes = []struct {
	Suffix   string
	Min, Max int64
}{
	{"信息中心", 8, 25}, {"培训中心", 6, 20}, {"后勤服务中心", 8, 30}, {"综合服务中心", 12, 40}, {"事务中心", 10, 35},
	{"检验检测中心", 20, 80}, {"研究所", 10, 30}, {"监测站", 8, 25}, {"档案馆", 8, 20}, {"服务站", 5, 15},
}

// schoolAndHospital names the big service institutions of education and health.
var schoolsAndHospitals = []struct {
	Code, Pattern, Dept string
	N                   int
	Min, Max            int64
}{
	{"MS", "太原市第%d中学校", "C-JYJ", 30, 80, 220}, {"HO", "太原市第%d人民医院", "C-WJW", 8, 200, 900},
	{"PS", "太原市第%d实验小学", "C-JYJ", 30, 50, 120},
}

// townshipStems make township and street names.
var townshipStems = []string{
	"坞城", "营盘", "北营", "平阳路", "龙城", "小店", "西温庄", "刘家堡", "北格", "黄陵", "文源", "柳巷", "老军营", "桥东", "庙前",
	"迎泽", "郝庄", "大东关", "坝陵桥", "涧河", "杨家峪", "三桥", "鼓楼", "中涧河", "柴村", "光社", "汇丰", "上兰", "向阳", "阳曲",
	"兴华", "千峰", "下元", "和平", "万柏林", "神堂沟", "晋祠", "金胜", "姚村", "义井", "清源", "徐沟", "东于", "孟封", "集义",
	"黄寨", "大盂", "东黄水", "泥屯", "侯村", "北小店", "凌井店", "杜交曲", "静游", "米峪镇", "马家庄", "天池店", "杜家村", "庙湾",
	"盖家庄", "河口", "岔口", "梭峪", "邢家社", "常安", "原相", "西曲", "东曲", "桃园", "屯兰", "火山", "嘉乐泉", "阁上", "马兰",
}

// countyTownships is how many townships/streets each county-level division has, and
// whether they are streets (districts) or towns (counties).
var countyTownships = map[string]int{
	"140105": 11, "140106": 8, "140107": 12, "140108": 13, "140109": 13, "140110": 6,
	"140121": 9, "140122": 10, "140123": 8, "140181": 15,
}

var surnames = []rune("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文")

var givenChars = []rune("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建军文博志强海燕晓东丹玉兰宇浩然欣怡梓涵子轩雨晨思远嘉怡俊杰")
