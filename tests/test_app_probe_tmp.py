from tests.app_helpers import *  # noqa

async def test_probe(demo_dir, make_app):
    app = make_app(demo_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        s = main_screen(app)
        print(screen_text(app))
        print(repr(list_line(s, 0)))
        await press(pilot, "question_mark")
        print(screen_text(app))
        print(notifications(app))
    assert False
