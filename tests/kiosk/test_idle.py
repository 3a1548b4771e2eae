"""The idle policy: a countdown after the timeout only when there is something to forget, a touch stops
it, the reset comes at zero, and a timeout staff change applies at the next tick."""

from kiosk.idle import IdlePolicy, Tick, anything_to_forget


def run(policy: IdlePolicy, seconds: int, forget: bool = True) -> list[Tick]:
    return [policy.tick(forget) for _ in range(seconds)]


def test_countdown_after_the_timeout_then_reset():
    policy = IdlePolicy(lambda: 5, countdown_from=3)
    assert run(policy, 4) == [Tick.NOTHING] * 4 and policy.countdown == -1
    assert policy.tick(True) is Tick.COUNTING and policy.countdown == 3
    assert run(policy, 3) == [Tick.COUNTING, Tick.COUNTING, Tick.RESET]
    policy.reset()
    assert policy.countdown == -1 and policy.idle_seconds == 0


def test_nothing_to_forget_means_no_countdown():
    policy = IdlePolicy(lambda: 2, countdown_from=3)
    assert run(policy, 10, forget=False) == [Tick.NOTHING] * 10
    assert policy.tick(True) is Tick.COUNTING  # the resident left something behind since


def test_a_touch_stops_the_countdown_and_starts_the_wait_again():
    policy = IdlePolicy(lambda: 2, countdown_from=3)
    run(policy, 2)
    assert policy.countdown == 3
    assert policy.touch() is True and policy.countdown == -1
    assert policy.touch() is False
    assert run(policy, 1) == [Tick.NOTHING]


def test_the_timeout_is_read_at_every_tick():
    timeout = [100]
    policy = IdlePolicy(lambda: timeout[0], countdown_from=3)
    assert run(policy, 10) == [Tick.NOTHING] * 10
    timeout[0] = 5  # staff shortened it
    assert policy.tick(True) is Tick.COUNTING


def test_what_counts_as_something_to_forget():
    assert not anything_to_forget(True, False, 0, False)
    assert anything_to_forget(False, False, 0, False)  # typed or opened something
    assert anything_to_forget(True, True, 0, False)  # left home
    assert anything_to_forget(True, False, 2, False)  # larger type
    assert anything_to_forget(True, False, 0, True)  # high contrast
