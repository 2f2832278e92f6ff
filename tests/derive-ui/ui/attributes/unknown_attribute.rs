use wecard_macros::WecardUser;

#[derive(WecardUser)]
#[wecard(
    crat = wecard_derive_ui::wecard,
    identity_type = "学生",
    identity_title = "本科生",
    organization = "信息学院"
)]
struct Student {
    card_number: String,
    name: String,
    #[wecard(wiht = year)]
    register_year: Option<i64>,
    #[wecard(skp)]
    internal_id: u64,
}

fn main() {}
