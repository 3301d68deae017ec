//! The preset gallery: named scenarios with a teaching note each. A preset is a link query, so
//! `?preset=<id>` and the expanded link open the same page; ids and queries are part of the public
//! contract, like the link grammar.

/// One named scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Preset {
    pub id: &'static str,
    pub title: &'static str,
    /// One paragraph for the gallery.
    pub note: &'static str,
    /// The link query it stands for (without `?`).
    pub query: &'static str,
}

pub static PRESETS: [Preset; 15] = [
    Preset {
        id: "seed",
        title: "Too fast, too slow, spot on",
        note: "The classic answer to “why give large gradients small rates?”. On a bowl whose walls have a \
               nearly constant slope, a fixed rate of 2.5 lands on the opposite wall at every step and settles \
               into a ±0.75 cycle for ever; a fixed rate of 0.05 is safe but crawls; Adagrad's first step is \
               exactly its rate, and every later step is divided by the root of all squared gradients so far, \
               so it slows down as it arrives.",
        query: "loss=smooth-abs&x0=4&a=sgd:lr=2.5&b=sgd:lr=0.05&c=adagrad:lr=1.5,eps=0",
    },
    Preset {
        id: "bounce",
        title: "The bowl where a fixed rate bounces for ever",
        note: "On f(x) = x² the gradient is 2x, so gradient descent with rate 1 maps x to −x: it jumps between \
               the two walls for ever without losing height. At 0.9 the same zig-zag shrinks by 0.8 per step. \
               Adagrad's rate falls as the squared gradients add up, and the bouncing dies out.",
        query: "loss=quadratic&x0=4&a=sgd:lr=1&b=sgd:lr=0.9&c=adagrad:lr=1.5,eps=0\
                &ta=Rate%201%3A%20for%20ever&tb=Rate%200.9%3A%20damped&tc=Adagrad",
    },
    Preset {
        id: "vanishing",
        title: "Adagrad's vanishing learning rate",
        note: "Adagrad never forgets. Starting high on the steep wall of x⁴, its first gradients are huge, Σg² \
               grows fast, and the rate it keeps for the flat bottom is tiny: it crawls for hundreds of steps. \
               RMSProp keeps a running mean instead of a sum, so its rate rises again once the gradients are \
               small (watch the rate chart). Adadelta also forgets, but starts timidly: its step is scaled by \
               the root of its own past steps, which begin at zero.",
        query: "loss=quartic&x0=1.9&a=adagrad:lr=0.5,eps=0&b=rmsprop:lr=0.05,decay=0.9&c=adadelta\
                &ta=Adagrad&tb=RMSProp&tc=Adadelta",
    },
    Preset {
        id: "scale",
        title: "Scale invariance: the loss times 100",
        note: "Multiply the loss by 100 and every gradient grows 100 times. Gradient descent with rate 0.05, \
               gentle on x², now takes steps 100 times longer and explodes; it needs its rate divided by hand. \
               Adagrad divides each gradient by the root of the sum of its squares, so the factor cancels: its \
               path is exactly the one it takes on x² (open the bounce preset to compare).",
        query: "loss=quadratic&scale=100&x0=4&a=sgd:lr=0.05&b=sgd:lr=0.0005&c=adagrad:lr=1.5,eps=0\
                &ta=Rate%200.05&tb=Rate%200.0005%2C%20rescaled%20by%20hand&tc=Adagrad%2C%20unchanged",
    },
    Preset {
        id: "double-well",
        title: "Which minimum? The double well",
        note: "x⁴ − 3x² + x has a shallow minimum at x ≈ 1.13 and a deeper one at x ≈ −1.30. From x = 2, plain \
               gradient descent stops in the nearest one. Momentum gathers enough speed to roll over the hump \
               into the deeper well. Adam's normalised steps stay short and it settles next door. Drag the \
               start to see where each one ends from elsewhere.",
        query: "loss=double-well&x0=2&a=sgd:lr=0.02&b=momentum:lr=0.02,beta=0.9&c=adam:lr=0.3\
                &ta=Gradient%20descent&tb=Momentum&tc=Adam",
    },
    Preset {
        id: "adam-vs-adagrad",
        title: "Adam against Adagrad",
        note: "Adam also divides by a root of squared gradients, but of a running mean, and it steps along a \
               running mean of the gradient itself (momentum). On the smooth bowl Adagrad arrives in a few \
               steps; Adam overshoots and swings around the bottom before it settles. Without its momentum \
               (b1 = 0) Adam arrives quickly, but its forgetful rate grows at the bottom until it bounces.",
        query: "loss=smooth-abs&x0=4&a=adagrad:lr=1.5,eps=0&b=adam:lr=0.5&c=adam:lr=0.5,b1=0\
                &ta=Adagrad&tb=Adam&tc=Adam%2C%20b1%20%3D%200",
    },
    Preset {
        id: "noise",
        title: "Noise: why a fixed rate never settles",
        note: "Real gradients are noisy. Here every gradient on x² carries Gaussian noise (σ = 1, the same draws \
               for all three). Gradient descent at rate 0.1 gets down fast, then jitters for ever: its loss \
               stops falling at a floor that grows with lr·σ² (about lr·σ²/4). A rate ten times smaller has a \
               lower floor but needs ten times as many steps to get down. Adagrad's Σg² keeps growing with the \
               noise, so its rate falls roughly like 1/√t (the dashed guide in the rate chart) and its loss \
               keeps falling. The bands show 20 seeds, 10th to 90th percentile.",
        query: "loss=quadratic&x0=4&a=sgd:lr=0.1&b=sgd:lr=0.01&c=adagrad:lr=1,eps=0&noise=1&seed=1\
                &ta=Rate%200.1%3A%20jitters&tb=Rate%200.01%3A%20slow&tc=Adagrad%3A%20anneals",
    },
    Preset {
        id: "sparse",
        title: "Sparse features: one common, one rare",
        note: "Why is a large rate for small gradients good for a network? A linear model learns three binary \
               features, one example at a time: two are in most examples (90 % and 60 %), one in only 3 %, as \
               a rare word is. Gradient descent at a rate safe for the common features moves the rare weight \
               only when it sees it, and by little. A rate large enough for the rare feature makes the common \
               weights jitter with every noisy label. Adagrad divides each weight's step by the root of its own \
               sum of squared gradients: the rare feature's sum stays small, so it keeps a large rate and \
               learns from its few examples, while the common ones calm down.",
        query: "lab=sparse&features=3&rare=3&label_noise=0.3",
    },
    Preset {
        id: "rare-words",
        title: "Sparse features: rare words",
        note: "Six features with a long tail of frequencies, from 90 % of the examples down to 2 %, as word \
               counts have. With one rate for all, the rarer the feature, the less its weight has learned. \
               RMSProp and Adagrad give each feature a rate of its own, larger the rarer it is, so even the \
               rarest weights come close to their true values.",
        query: "lab=sparse&features=6&rare=2&spread=tail&label_noise=0.3&a=sgd:lr=0.05&b=rmsprop:lr=0.05\
                &c=adagrad:lr=1,eps=0.00000001&ta=Gradient%20descent&tb=RMSProp&tc=Adagrad",
    },
    Preset {
        id: "adagrad-memory",
        title: "Sparse features: when Adagrad's memory hurts",
        note: "The honest counterpoint. Half-way through, the data change: the common feature becomes rare, the \
               rare one common, and both true weights change sign. Adagrad's sum of squared gradients never \
               forgets the first half, so the formerly common feature keeps a tiny rate and learns its new \
               weight slowly. RMSProp and Adam keep running means that forget, and recover. It is the vanishing \
               rate of the triptych's preset, seen on data.",
        query: "lab=sparse&features=2&rare=3&shift=500&label_noise=0.3&a=adagrad:lr=1,eps=0.00000001\
                &b=rmsprop:lr=0.05&c=adam:lr=0.05&ta=Adagrad&tb=RMSProp&tc=Adam",
    },
    Preset {
        id: "ellipse",
        title: "2-D: the ill-conditioned ellipse",
        note: "0.1x₁² + 2x₂² is twenty times steeper across than along. One learning rate for both coordinates \
               must suit the steep one: at 0.4 gradient descent kills x₂ at once and then crawls along x₁; at \
               0.49 it zig-zags across the valley. Adagrad keeps a Σg² per coordinate, so the steep coordinate \
               gets a small rate and the flat one a large rate (see the ellipse at the ball): both arrive \
               together, and the steps bend toward the flat direction. The setting of d2l.ai's chapter.",
        query: "loss=ellipse&x0=-5,-2&a=sgd:lr=0.4&b=sgd:lr=0.49&c=adagrad:lr=2,eps=0.000001,eps_in_sqrt=1\
                &ta=SGD%200.4%3A%20crawls&tb=SGD%200.49%3A%20zig-zags&tc=Adagrad%3A%20per%20coordinate",
    },
    Preset {
        id: "rosenbrock",
        title: "2-D: the Rosenbrock valley",
        note: "Getting into Rosenbrock's curved valley is easy; following its nearly flat floor to (1, 1) is \
               slow. Gradient descent with a rate small enough for the steep walls creeps along the floor. \
               Momentum builds up speed along the valley and gets furthest. Adam's per-coordinate rates help \
               less than you might hope, because the valley is curved rather than aligned with an axis.",
        query: "loss=rosenbrock&x0=-1.2,1&a=sgd:lr=0.001&b=momentum:lr=0.001,beta=0.9&c=adam:lr=0.05\
                &ta=Gradient%20descent&tb=Momentum&tc=Adam",
    },
    Preset {
        id: "saddle",
        title: "2-D: escaping a saddle",
        note: "On x₁² − x₂² the start sits just off the ridge: the gradient across the ridge is tiny, so \
               gradient descent stalls near the saddle point for dozens of steps before it slides off. \
               Adagrad's first step is the full rate in every coordinate whatever the gradient's size, so it \
               leaves at once; Adam, which also divides by the gradient's size, escapes quickly too.",
        query: "loss=saddle&x0=-1.5,0.01&a=sgd:lr=0.05&b=adagrad:lr=0.5,eps=0&c=adam:lr=0.1\
                &ta=Gradient%20descent&tb=Adagrad&tc=Adam",
    },
    Preset {
        id: "himmelblau",
        title: "2-D: Himmelblau, four minima",
        note: "Himmelblau's function has four equally deep minima. From the same start, gradient descent and \
               Adam roll into the one at (3, 2), while momentum overshoots toward (3.58, −1.85). Drag the start \
               around to map which minimum each optimizer chooses.",
        query: "loss=himmelblau&x0=0,0&a=sgd:lr=0.01&b=momentum:lr=0.01,beta=0.9&c=adam:lr=0.1\
                &ta=Gradient%20descent&tb=Momentum&tc=Adam",
    },
    Preset {
        id: "beale",
        title: "2-D: Beale's flat plateau",
        note: "Beale's function is nearly flat over a wide plateau and steep at its edges. Gradient descent \
               with a rate that survives the edges crawls across the plateau; Adagrad and Adam rescale the \
               small gradients there and make steady progress toward the minimum at (3, 0.5).",
        query: "loss=beale&x0=1,1.5&a=sgd:lr=0.001&b=adagrad:lr=0.5,eps=0&c=adam:lr=0.05\
                &ta=Gradient%20descent&tb=Adagrad&tc=Adam",
    },
];

/// The preset with this id.
pub fn preset(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.id == id)
}
