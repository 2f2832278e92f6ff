use wecard_macros::WecardUser;

#[derive(WecardUser)]
#[wecard(
    crate = wecard_derive_ui::wecard,
    identity_type = "学生",
    identity_title = "本科生",
    organization = "信息学院"
)]
struct Student {
    #[wecard(card_number, name)]
    card_number: String,
    #[wecard(with)]
    name: String,
    #[wecard(skip = true)]
    internal_id: u64,
    #[wecard(skip, with = year)]
    notes: String,
    #[wecard(rename = grade)]
    grade: Option<String>,
    #[wecard]
    college: Option<String>,
}

fn main() {}
