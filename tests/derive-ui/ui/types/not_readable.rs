use wecard_macros::WecardUser;

#[derive(WecardUser)]
#[wecard(crate = wecard_derive_ui::wecard, identity_type = "学生", identity_title = "本科生")]
struct Student {
    card_number: String,
    name: String,
    /// A path of names when sent, but a list of org ids in a member.
    organization: String,
}

fn main() {}
