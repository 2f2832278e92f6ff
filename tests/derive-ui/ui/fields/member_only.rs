use wecard_macros::WecardUser;

#[derive(WecardUser)]
#[wecard(
    crate = wecard_derive_ui::wecard,
    identity_type = "学生",
    identity_title = "本科生",
    organization = "信息学院",
    bind_status = 1
)]
struct Student {
    card_number: String,
    name: String,
    #[wecard(write_only)]
    role: Vec<i64>,
}

fn main() {}
