// The emoji the picker offers and `:shortcode:` completion knows: a hand-picked set
// of common ones (no emoji library: the whole chunk must stay under 10 KB gzip).
// Each entry is the emoji followed by its names, separated by "/": the first is a
// readable English name (underscores for spaces; the picker's label for it), the
// others the shortcodes people know from GitHub and Slack (gemoji). Every name is a
// shortcode, so `:thumbs_up:` and `:+1:` both give 👍. No flags, no skin tones.
export const CATEGORY_IDS = ['smileys', 'people', 'animals', 'food', 'travel', 'activities', 'objects', 'symbols'] as const;
export type CategoryId = (typeof CATEGORY_IDS)[number];

export interface Emoji {
  /** The emoji itself, as inserted. */
  char: string;
  /** Shortcodes without colons; the first is the readable name. */
  names: readonly string[];
  category: CategoryId;
}

const DATA: Record<CategoryId, string> = {
  smileys:
    '😀grinning 😃smiley 😄smile 😁grin 😆laughing/satisfied 😅sweat_smile 🤣rolling_on_the_floor_laughing/rofl 😂joy 🙂slightly_smiling_face 🙃upside_down_face ' +
    '😉wink 😊blush 😇innocent 🥰smiling_face_with_hearts 😍heart_eyes 🤩star_struck 😘kissing_heart 😗kissing ☺️relaxed 😚kissing_closed_eyes ' +
    '😋yum 😛stuck_out_tongue 😜stuck_out_tongue_winking_eye 🤪zany_face 😝stuck_out_tongue_closed_eyes 🤑money_mouth_face 🤗hugging_face/hugs 🤭hand_over_mouth 🤫shushing_face 🤔thinking ' +
    '🤐zipper_mouth_face 🤨raised_eyebrow 😐neutral_face 😑expressionless 😶no_mouth 😏smirk 😒unamused 🙄rolling_eyes/roll_eyes 😬grimacing 🤥lying_face ' +
    '😌relieved 😔pensive 😪sleepy 🤤drooling_face 😴sleeping 😷face_with_mask/mask 🤒face_with_thermometer 🤕face_with_head_bandage 🤢nauseated_face 🤮vomiting_face ' +
    '🤧sneezing_face 🥵hot_face 🥶cold_face 🥴woozy_face 😵dizzy_face 🤯exploding_head 🤠cowboy_hat_face 🥳partying_face 😎sunglasses 🤓nerd_face ' +
    '🧐monocle_face 😕confused 😟worried 🙁slightly_frowning_face ☹️frowning_face 😮open_mouth 😯hushed 😲astonished 😳flushed 🥺pleading_face ' +
    '😦frowning 😧anguished 😨fearful 😰anxious_face/cold_sweat 😥sad_but_relieved/disappointed_relieved 😢crying_face/cry 😭sob 😱scream 😖confounded 😣persevere ' +
    '😞disappointed 😓downcast_face/sweat 😩weary 😫tired_face 🥱yawning_face 😤triumph 😡pouting_face/rage/pout 😠angry 🤬cursing_face 😈smiling_imp ' +
    '👿imp 💀skull 💩pile_of_poo/poop/hankey 🤡clown_face 👻ghost 👽alien 🤖robot 😺smiley_cat 😸smile_cat 😹joy_cat ' +
    '😻heart_eyes_cat 🙈see_no_evil 🙉hear_no_evil 🙊speak_no_evil 💋kiss 💌love_letter 💘cupid 💝gift_heart 💖sparkling_heart 💗heartpulse ' +
    '💓heartbeat 💞revolving_hearts 💕two_hearts 💟heart_decoration ❣️heart_exclamation/heavy_heart_exclamation 💔broken_heart ❤️red_heart/heart 🧡orange_heart 💛yellow_heart 💚green_heart ' +
    '💙blue_heart 💜purple_heart 🤎brown_heart 🖤black_heart 🤍white_heart 💯hundred_points/100 💢anger 💥collision/boom 💫dizzy 💦sweat_droplets/sweat_drops ' +
    '💨dashing_away/dash 💬speech_balloon 💭thought_balloon 💤zzz',
  people:
    '👋waving_hand/wave 🤚raised_back_of_hand 🖐️hand_with_fingers_splayed/raised_hand_with_fingers_splayed ✋raised_hand/hand 🖖vulcan_salute 👌ok_hand 🤌pinched_fingers 🤏pinching_hand ✌️victory_hand/v 🤞crossed_fingers ' +
    '🤟love_you_gesture 🤘sign_of_the_horns/metal 🤙call_me_hand 👈point_left 👉point_right 👆point_up_2 👇point_down ☝️point_up 👍thumbs_up/+1/thumbsup 👎thumbs_down/-1/thumbsdown ' +
    '✊raised_fist/fist 👊oncoming_fist/punch/facepunch 🤛fist_left 🤜fist_right 👏clapping_hands/clap 🙌raised_hands 👐open_hands 🤲palms_up_together 🤝handshake 🙏folded_hands/pray ' +
    '✍️writing_hand 💅nail_polish/nail_care 💪flexed_biceps/muscle 🧠brain 👀eyes 👁️eye 👅tongue 👄mouth/lips 👶baby 🧒child ' +
    '👦boy 👧girl 🧑person/adult 👨man 👩woman 🧓older_person/older_adult 🙋raising_hand 🙇bowing/bow 🤦facepalm 🤷shrug ' +
    '💁tipping_hand_person/information_desk_person 🙆ok_person/ok_woman 🙅no_gesture/no_good 🧑‍💻technologist 🧑‍🍳cook 🕵️detective 💃dancer 🕺man_dancing 👯people_with_bunny_ears/dancers 🏃running/runner ' +
    '🚶walking 👪family',
  animals:
    '🐶dog 🐱cat 🐭mouse 🐹hamster 🐰rabbit 🦊fox_face/fox 🐻bear 🐼panda_face/panda 🐨koala 🐯tiger ' +
    '🦁lion 🐮cow 🐷pig 🐸frog 🐵monkey_face 🐔chicken 🐧penguin 🐦bird 🐤baby_chick 🦆duck ' +
    '🦉owl 🐺wolf 🐴horse 🦄unicorn 🐝honeybee/bee 🐛bug 🦋butterfly 🐌snail 🐞lady_beetle/ladybug 🐢turtle ' +
    '🐍snake 🐙octopus 🐠tropical_fish 🐬dolphin 🐳whale 🦈shark 🐘elephant 🦒giraffe 🐾paw_prints/feet 💐bouquet ' +
    '🌸cherry_blossom 🌹rose 🌻sunflower 🌷tulip 🌱seedling 🌲evergreen_tree 🌴palm_tree 🌵cactus 🍀four_leaf_clover 🍁maple_leaf ' +
    '🍂fallen_leaf ☀️sun/sunny 🌙crescent_moon ⭐star 🌟glowing_star/star2 ✨sparkles ⚡high_voltage/zap 🔥fire 🌈rainbow ☁️cloud ' +
    '⛅sun_behind_cloud/partly_sunny 🌧️cloud_with_rain ❄️snowflake ⛄snowman 🌊water_wave/ocean 🌍earth_africa 🌎earth_americas',
  food:
    '🍏green_apple 🍎apple 🍐pear 🍊tangerine/orange 🍋lemon 🍌banana 🍉watermelon 🍇grapes 🍓strawberry 🍒cherries ' +
    '🍑peach 🥭mango 🍍pineapple 🥥coconut 🥝kiwi_fruit 🍅tomato 🥑avocado 🥦broccoli 🌽corn 🥕carrot ' +
    '🥐croissant 🍞bread 🧀cheese 🥚egg 🍳cooking/fried_egg 🥞pancakes 🥓bacon 🍔hamburger/burger 🍟fries 🍕pizza ' +
    '🌭hotdog 🥪sandwich 🌮taco 🌯burrito 🥗green_salad/salad 🍝spaghetti 🍜ramen 🍣sushi 🍱bento 🍩doughnut/donut ' +
    '🍪cookie 🎂birthday_cake/birthday 🍰cake 🧁cupcake 🍫chocolate_bar 🍬candy 🍿popcorn 🍦soft_ice_cream/icecream 🍨ice_cream ☕coffee ' +
    '🍵tea 🧃beverage_box 🥤cup_with_straw 🍺beer 🍻clinking_beer_mugs/beers 🥂clinking_glasses/cheers 🍷wine_glass 🍸cocktail 🍾champagne 🥛glass_of_milk/milk_glass ' +
    '🍽️plate_with_cutlery',
  travel:
    '🚗car/red_car 🚕taxi 🚌bus 🚑ambulance 🚒fire_engine 🚓police_car 🚚delivery_truck/truck 🚲bicycle/bike 🛵motor_scooter 🏍️motorcycle ' +
    '🚂locomotive/steam_locomotive 🚇metro ✈️airplane 🚀rocket 🛸flying_saucer 🚁helicopter ⛵sailboat/boat 🚢ship ⚓anchor ⛽fuel_pump/fuelpump ' +
    '🚦traffic_light/vertical_traffic_light 🗺️world_map 🏠house/home 🏡house_with_garden 🏢office 🏥hospital 🏦bank 🏨hotel 🏪convenience_store 🏫school ' +
    '⛪church 🏰castle/european_castle 🗽statue_of_liberty 🗼tokyo_tower ⛲fountain 🏖️beach_with_umbrella/beach_umbrella 🏔️snow_capped_mountain/mountain_snow ⛺tent 🌃night_with_stars 🌅sunrise ' +
    '🎡ferris_wheel 🎢roller_coaster ⏰alarm_clock ⌛hourglass ⏳hourglass_flowing_sand 🌐globe_with_meridians',
  activities:
    '🎉party_popper/tada 🎊confetti_ball 🎈balloon 🎁wrapped_gift/gift 🎀ribbon 🎄christmas_tree 🎃jack_o_lantern 🎆fireworks 🎇sparkler 🏆trophy ' +
    '🏅sports_medal/medal_sports 🥇gold_medal/1st_place_medal 🥈silver_medal/2nd_place_medal 🥉bronze_medal/3rd_place_medal ⚽soccer_ball/soccer 🏀basketball 🏈american_football/football ⚾baseball 🎾tennis 🏐volleyball ' +
    '🏓ping_pong 🎳bowling ⛳golf 🎣fishing_pole/fishing_pole_and_fish 🏊swimming/swimmer 🚴biking/bicyclist 🧘yoga/lotus_position 🎮video_game 🎲game_die 🧩puzzle_piece/jigsaw ' +
    '♟️chess_pawn 🎯direct_hit/dart 🎨artist_palette/art 🎭performing_arts 🎬clapper_board/clapper 🎤microphone 🎧headphones 🎵musical_note 🎶musical_notes/notes 🎸guitar ' +
    '🎹musical_keyboard 🥁drum 🎻violin 📚books 📷camera',
  objects:
    '📱mobile_phone/iphone ☎️telephone/phone 💻laptop/computer ⌨️keyboard 🖥️desktop_computer 🖨️printer 🖱️computer_mouse 💾floppy_disk 💿optical_disk/cd 📺television/tv ' +
    '📹video_camera 🔋battery 🔌electric_plug 💡light_bulb/bulb 🔦flashlight 🕯️candle 💸money_with_wings 💵dollar 💶euro 💰money_bag/moneybag ' +
    '💳credit_card 🧾receipt 💎gem 🔧wrench 🔨hammer 🛠️hammer_and_wrench ⚙️gear 🔗link 🔒locked/lock 🔓unlocked/unlock ' +
    '🔑key 🚪door 🛒shopping_cart 🛍️shopping_bags/shopping 📦package 📫mailbox ✉️envelope 📧e-mail/email 📨incoming_envelope 📝memo/pencil ' +
    '📎paperclip 📌pushpin 📍round_pushpin ✂️scissors 🗑️wastebasket 📁file_folder 📅date 📆calendar 📊bar_chart 📈chart_increasing/chart_with_upwards_trend ' +
    '📉chart_decreasing/chart_with_downwards_trend 📋clipboard 📄page_facing_up 📖open_book/book 🔍magnifying_glass/mag 🔔bell 🔕no_bell 📣megaphone/mega 📢loudspeaker ⏱️stopwatch ' +
    '⌚watch 🧸teddy_bear 💊pill 💉syringe 🩹adhesive_bandage 🏷️label',
  symbols:
    '✅check_mark_button/white_check_mark ☑️ballot_box_with_check ✔️check_mark/heavy_check_mark ❌cross_mark/x ➕plus/heavy_plus_sign ➖minus/heavy_minus_sign ❓question ❗exclamation/heavy_exclamation_mark ‼️double_exclamation_mark/bangbang ⁉️interrobang ' +
    '⚠️warning 🚫prohibited/no_entry_sign ⛔no_entry 🆗ok 🆕new 🆓free 🆘sos 🔴red_circle 🟠orange_circle 🟡yellow_circle ' +
    '🟢green_circle 🔵blue_circle/large_blue_circle 🟣purple_circle ⚫black_circle ⚪white_circle ♻️recycle ❇️sparkle 🔁repeat 🔄arrows_counterclockwise ▶️play_button/arrow_forward ' +
    '⏸️pause_button ⬆️arrow_up ⬇️arrow_down ⬅️arrow_left ➡️arrow_right 🔝top 🔜soon ℹ️information/information_source 🏁checkered_flag 🚩triangular_flag/triangular_flag_on_post ' +
    '☮️peace_symbol ☯️yin_yang ♥️heart_suit/hearts ©️copyright ®️registered ™️trade_mark/tm',
};

/** The one-line form "😀grinning/alias" as an Emoji; null for a malformed entry. */
export function parseEntry(entry: string, category: CategoryId): Emoji | null {
  // The emoji is everything before the first printable ASCII character (names are ASCII).
  const match = /^([^\x21-\x7e]+)([\x21-\x7e]+)$/.exec(entry);
  if (!match) return null;
  return { char: match[1]!, names: match[2]!.split('/'), category };
}

let all: readonly Emoji[] | undefined;

/** Every emoji, in the picker's order (by category). */
export function allEmoji(): readonly Emoji[] {
  all ??= CATEGORY_IDS.flatMap((category) => DATA[category].split(' ').flatMap((entry) => parseEntry(entry, category) ?? []));
  return all;
}

/** The emoji of one category, in order. */
export function emojiIn(category: CategoryId): readonly Emoji[] {
  return allEmoji().filter((e) => e.category === category);
}

/** The readable name: "slightly smiling face". */
export function labelOf(emoji: Emoji): string {
  return emoji.names[0]!.replace(/_/g, ' ');
}
