use wecard_macros::WecardUser;

#[derive(WecardUser)]
#[wecard(
    crate = wecard_derive_ui::wecard,
    identity_type = 2,
    identity_title = "本科生",
    organization = "信息学院",
    register_year = "2022",
    expire_at = "2030-01-01 00:00:00"
)]
struct Student {
    card_number: String,
    name: String,
}

fn main() {}
