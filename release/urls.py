app_name = "release"
urlpatterns: list = []
