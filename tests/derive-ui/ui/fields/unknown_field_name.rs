use wecard_macros::WecardUser;

#[derive(WecardUser)]
#[wecard(
    crate = wecard_derive_ui::wecard,
    identity_type = "学生",
    identity_title = "本科生",
    organization = "信息学院"
)]
struct Student {
    card_number: String,
    name: String,
    emial: Option<String>,
    internal_id: u64,
}

fn main() {}
